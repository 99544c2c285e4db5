extension DevOpenIDProvider {
    /// A registered relying party.
    package struct Client: Sendable, Hashable {
        /// The `client_id`.
        package var id: String
        /// The secret for `client_secret_basic` / `client_secret_post`; `nil` when the client does not use one.
        package var secret: String?
        /// Redirect URIs, compared exactly.
        package var redirectURIs: [String]
        /// URIs accepted as `post_logout_redirect_uri` at the end-session endpoint.
        package var postLogoutRedirectURIs: [String]
        /// Where back-channel logout tokens are POSTed.
        package var backchannelLogoutURI: String?
        /// The client's public key as a JWK JSON object, for `private_key_jwt` (RS256 or ES256).
        package var publicJWK: String?

        /// Whether the client can authenticate at all; a client without credentials is public
        /// and may only use the authorization-code grant with PKCE.
        package var isConfidential: Bool { secret != nil || publicJWK != nil }

        /// Creates a client registration.
        package init(
            id: String,
            secret: String? = nil,
            redirectURIs: [String],
            postLogoutRedirectURIs: [String] = [],
            backchannelLogoutURI: String? = nil,
            publicJWK: String? = nil
        ) {
            self.id = id
            self.secret = secret
            self.redirectURIs = redirectURIs
            self.postLogoutRedirectURIs = postLogoutRedirectURIs
            self.backchannelLogoutURI = backchannelLogoutURI
            self.publicJWK = publicJWK
        }

        /// The client `gatehouse demo` uses: Gatehouse on `http://127.0.0.1:8080`.
        package static let demo = Client(
            id: "gatehouse-demo",
            secret: "demo-secret-not-for-production",
            redirectURIs: ["http://127.0.0.1:8080/bff/callback"],
            postLogoutRedirectURIs: ["http://127.0.0.1:8080/"],
            backchannelLogoutURI: "http://127.0.0.1:8080/bff/backchannel-logout"
        )
    }
}

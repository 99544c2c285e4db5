package import Foundation

/// Builds token-endpoint and revocation requests with the configured client authentication.
package struct TokenRequestBuilder: Sendable {
    /// The OAuth client id.
    package let clientID: String
    /// How the client authenticates.
    package let authentication: ClientAuthentication
    /// The provider's token endpoint; also the `aud` of `private_key_jwt` assertions.
    package let tokenEndpoint: URL
    /// The provider's RFC 7009 revocation endpoint, when it has one.
    package let revocationEndpoint: URL?
    private let random: any RandomSource

    /// Creates a builder; `random` supplies assertion `jti`s.
    package init(
        clientID: String,
        authentication: ClientAuthentication,
        tokenEndpoint: URL,
        revocationEndpoint: URL? = nil,
        random: any RandomSource = SystemRandomSource()
    ) {
        self.clientID = clientID
        self.authentication = authentication
        self.tokenEndpoint = tokenEndpoint
        self.revocationEndpoint = revocationEndpoint
        self.random = random
    }

    /// The `authorization_code` grant with the PKCE verifier (RFC 6749 §4.1.3, RFC 7636 §4.5).
    package func authorizationCode(
        _ code: AuthorizationCode,
        verifier: CodeVerifier,
        redirectURI: String,
        now: Date
    ) throws(ClientAuthenticationError) -> FormPostRequest {
        try self.request(
            to: self.tokenEndpoint,
            [
                ("grant_type", "authorization_code"),
                ("code", code.value),
                ("redirect_uri", redirectURI),
                ("code_verifier", verifier.value),
            ],
            now: now
        )
    }

    /// The `refresh_token` grant (RFC 6749 §6); `scopes` narrows the grant when given.
    package func refresh(_ token: RefreshToken, scopes: [String]? = nil, now: Date) throws(ClientAuthenticationError) -> FormPostRequest {
        var parameters = [("grant_type", "refresh_token"), ("refresh_token", token.value)]
        if let scopes, !scopes.isEmpty { parameters.append(("scope", scopes.joined(separator: " "))) }
        return try self.request(to: self.tokenEndpoint, parameters, now: now)
    }

    /// RFC 8693 token exchange: the user's access token for one for `audience`.
    package func tokenExchange(_ subject: AccessToken, audience: String, now: Date) throws(ClientAuthenticationError) -> FormPostRequest {
        let parameters = [
            ("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange"),
            ("subject_token", subject.value),
            ("subject_token_type", "urn:ietf:params:oauth:token-type:access_token"),
            ("requested_token_type", "urn:ietf:params:oauth:token-type:access_token"),
            ("audience", audience),
        ]
        return try self.request(to: self.tokenEndpoint, parameters, now: now)
    }

    /// The `client_credentials` grant (RFC 6749 §4.4), for routes with `token: client`.
    package func clientCredentials(scopes: [String] = [], audience: String? = nil, now: Date) throws(ClientAuthenticationError) -> FormPostRequest {
        var parameters = [("grant_type", "client_credentials")]
        if !scopes.isEmpty { parameters.append(("scope", scopes.joined(separator: " "))) }
        if let audience { parameters.append(("audience", audience)) }
        return try self.request(to: self.tokenEndpoint, parameters, now: now)
    }

    /// A pushed authorization request (RFC 9126 §2.1): the authorization request's parameters,
    /// posted with the client's authentication to the provider's PAR endpoint.
    package func pushedAuthorization(_ authorization: AuthorizationRequest, to endpoint: URL, now: Date) throws(ClientAuthenticationError) -> FormPostRequest {
        // client_id once: the authentication methods that post it add it themselves (a repeated
        // parameter makes the request invalid, RFC 6749 §3.1).
        var parameters = authorization.parameters.filter { $0.name != "client_id" }.map { ($0.name, $0.value) }
        if case .clientSecretBasic = self.authentication { parameters.insert(("client_id", self.clientID), at: 0) }
        return try self.request(to: endpoint, parameters, now: now)
    }

    /// Revokes a refresh token (RFC 7009 §2.1); `nil` when the provider has no revocation endpoint.
    package func revocation(of token: RefreshToken, now: Date) throws(ClientAuthenticationError) -> FormPostRequest? {
        guard let revocationEndpoint else { return nil }
        return try self.request(
            to: revocationEndpoint,
            [("token", token.value), ("token_type_hint", "refresh_token")],
            now: now
        )
    }

    /// Revokes an access token (RFC 7009 §2.1); `nil` when the provider has no revocation endpoint.
    package func revocation(of token: AccessToken, now: Date) throws(ClientAuthenticationError) -> FormPostRequest? {
        guard let revocationEndpoint else { return nil }
        return try self.request(
            to: revocationEndpoint,
            [("token", token.value), ("token_type_hint", "access_token")],
            now: now
        )
    }

    /// The `Authorization` header value for `client_secret_basic`: id and secret are each
    /// form-encoded before they are joined and base64 encoded (RFC 6749 §2.3.1), so a `:` in
    /// either cannot shift the boundary.
    package static func basicAuthorization(clientID: String, secret: ClientSecret) -> String {
        let credentials = FormURLEncoding.encode(component: clientID) + ":" + FormURLEncoding.encode(component: secret.value)
        return "Basic " + Data(credentials.utf8).base64EncodedString()
    }

    private func request(to url: URL, _ parameters: [(String, String)], now: Date) throws(ClientAuthenticationError) -> FormPostRequest {
        var parameters = parameters
        var headers = [(name: String, value: String)]()
        switch self.authentication {
        case .clientSecretBasic(let secret):
            headers.append((name: "Authorization", value: Self.basicAuthorization(clientID: self.clientID, secret: secret)))
        case .clientSecretPost(let secret):
            parameters.append(("client_id", self.clientID))
            parameters.append(("client_secret", secret.value))
        case .privateKeyJWT(let key):
            let assertion = try key.makeAssertion(
                clientID: self.clientID,
                audience: self.tokenEndpoint.absoluteString,
                now: now,
                random: self.random
            )
            parameters.append(("client_id", self.clientID))
            parameters.append(("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"))
            parameters.append(("client_assertion", assertion))
        }
        return FormPostRequest(url: url, parameters: parameters, extraHeaders: headers)
    }
}

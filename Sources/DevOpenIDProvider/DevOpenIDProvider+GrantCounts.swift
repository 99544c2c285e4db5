extension DevOpenIDProvider {
    /// How many requests reached the token and revocation endpoints, by grant type, since the last reset.
    ///
    /// Counted when a request arrives, before injected latency and forced answers,
    /// so a coalescing test sees every attempt.
    package struct GrantCounts: Sendable, Hashable, Codable {
        /// `grant_type=authorization_code` requests.
        package var authorizationCode = 0
        /// `grant_type=refresh_token` requests.
        package var refreshToken = 0
        /// `grant_type=client_credentials` requests.
        package var clientCredentials = 0
        /// RFC 8693 token-exchange requests.
        package var tokenExchange = 0
        /// Token requests with any other or no grant type.
        package var other = 0
        /// Revocation requests.
        package var revocation = 0
        /// Pushed authorization requests (`/par`).
        package var pushedAuthorization = 0

        /// All zero.
        package init() {}

        enum CodingKeys: String, CodingKey {
            case authorizationCode = "authorization_code"
            case refreshToken = "refresh_token"
            case clientCredentials = "client_credentials"
            case tokenExchange = "token_exchange"
            case other
            case revocation
            case pushedAuthorization = "pushed_authorization"
        }
    }
}

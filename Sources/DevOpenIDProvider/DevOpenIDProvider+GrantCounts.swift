extension DevOpenIDProvider {
    /// How many requests reached the token and revocation endpoints, by grant type, since the last reset.
    ///
    /// Counted when a request arrives, before injected latency and forced answers,
    /// so a coalescing test sees every attempt.
    public struct GrantCounts: Sendable, Hashable, Codable {
        /// `grant_type=authorization_code` requests.
        public var authorizationCode = 0
        /// `grant_type=refresh_token` requests.
        public var refreshToken = 0
        /// `grant_type=client_credentials` requests.
        public var clientCredentials = 0
        /// Token requests with any other or no grant type.
        public var other = 0
        /// Revocation requests.
        public var revocation = 0

        /// All zero.
        public init() {}

        enum CodingKeys: String, CodingKey {
            case authorizationCode = "authorization_code"
            case refreshToken = "refresh_token"
            case clientCredentials = "client_credentials"
            case other
            case revocation
        }
    }
}

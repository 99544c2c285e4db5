extension DevOpenIDProvider {
    /// How long issued artefacts stay valid.
    public struct Lifetimes: Sendable, Hashable {
        /// Access tokens; also the `expires_in` of token responses.
        public var accessToken: Duration
        /// Refresh tokens (each rotation starts a new period).
        public var refreshToken: Duration
        /// ID tokens' `exp - iat`.
        public var idToken: Duration
        /// Authorization codes.
        public var authorizationCode: Duration

        /// Creates lifetimes; the defaults are access 5 min, refresh 30 min, ID token 5 min, code 60 s.
        public init(
            accessToken: Duration = .seconds(300),
            refreshToken: Duration = .seconds(1800),
            idToken: Duration = .seconds(300),
            authorizationCode: Duration = .seconds(60)
        ) {
            self.accessToken = accessToken
            self.refreshToken = refreshToken
            self.idToken = idToken
            self.authorizationCode = authorizationCode
        }
    }
}

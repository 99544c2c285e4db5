extension DevOpenIDProvider {
    /// How long issued artefacts stay valid.
    package struct Lifetimes: Sendable, Hashable {
        /// Access tokens; also the `expires_in` of token responses.
        package var accessToken: Duration
        /// Refresh tokens (each rotation starts a new period).
        package var refreshToken: Duration
        /// ID tokens' `exp - iat`.
        package var idToken: Duration
        /// Authorization codes.
        package var authorizationCode: Duration
        /// Pushed authorization requests' `request_uri`s (RFC 9126 `expires_in`).
        package var pushedRequest: Duration

        /// Creates lifetimes; the defaults are access 5 min, refresh 30 min, ID token 5 min, code 60 s,
        /// pushed request 60 s.
        package init(
            accessToken: Duration = .seconds(300),
            refreshToken: Duration = .seconds(1800),
            idToken: Duration = .seconds(300),
            authorizationCode: Duration = .seconds(60),
            pushedRequest: Duration = .seconds(60)
        ) {
            self.accessToken = accessToken
            self.refreshToken = refreshToken
            self.idToken = idToken
            self.authorizationCode = authorizationCode
            self.pushedRequest = pushedRequest
        }
    }
}

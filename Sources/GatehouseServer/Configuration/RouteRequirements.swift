/// A route's `require` rules: every one must hold on every call, else the call is refused.
package struct RouteRequirements: Sendable, Hashable {
    /// Claim name → accepted values (`require.claims`); a list claim passes when it holds any of them.
    package var claims: [String: [String]] = [:]
    /// Scopes the user's access token must have been granted, all of them (`require.scopes`).
    package var scopes: [String] = []
    /// Accepted `acr` values (`require.acr`); failing it asks for a step-up login.
    package var acr: [String] = []
    /// How recent `auth_time` must be (`require.max_age`); failing it asks for a step-up login.
    package var maxAge: Duration?

    package init(claims: [String: [String]] = [:], scopes: [String] = [], acr: [String] = [], maxAge: Duration? = nil) {
        self.claims = claims
        self.scopes = scopes
        self.acr = acr
        self.maxAge = maxAge
    }

    /// Whether a failure can be cured by signing in again (`acr`, `max_age`).
    package var asksForStepUp: Bool { !acr.isEmpty || maxAge != nil }
}

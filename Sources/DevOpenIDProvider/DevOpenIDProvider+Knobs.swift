import Foundation

extension DevOpenIDProvider {
    /// Requests counted per grant type since the last reset.
    package func currentGrantCounts() -> GrantCounts { grantCounts }

    /// Sets every grant counter back to zero.
    package func resetGrantCounts() { grantCounts = GrantCounts() }

    /// Delays every token-endpoint answer by `latency` (zero to stop).
    package func setTokenLatency(_ latency: Duration) { tokenLatency = max(latency, .zero) }

    /// Delays every token-endpoint answer by `delay` AFTER the request was processed (zero to stop):
    /// a refresh token is already rotated when the relying party is still waiting, as with a slow
    /// network on the way back. ``setTokenLatency(_:)`` waits before processing instead.
    package func setTokenAnswerDelay(_ delay: Duration) { tokenAnswerDelay = max(delay, .zero) }

    /// How many refresh tokens of `subject` would still be accepted (not revoked, rotated or expired).
    package func liveRefreshTokenCount(subject: String) -> Int {
        let now = Date()
        return refreshTokens.values.filter { record in
            guard !record.isRotated, record.expiresAt > now, let family = families[record.familyID] else { return false }
            return !family.isRevoked && family.subject == subject
        }.count
    }

    /// Queues answers the token endpoint gives instead of processing the next requests, one per request.
    package func forceNextTokenResponses(_ responses: [ForcedTokenResponse]) {
        forcedTokenResponses.append(contentsOf: responses)
    }

    /// Replaces token lifetimes for tokens issued from now on.
    package func setLifetimes(_ lifetimes: Lifetimes) { self.lifetimes = lifetimes }

    /// The lifetimes in force.
    package func currentLifetimes() -> Lifetimes { lifetimes }

    /// Makes a new signing key; earlier keys stay in the JWKS so tokens they signed still verify.
    /// - Returns: the new key's `kid`.
    @discardableResult
    package func rotateSigningKey() throws -> String {
        let key = try SigningKey()
        signingKeys.insert(key, at: 0)
        return key.keyID
    }

    /// The `kid`s in the JWKS, the signing one first.
    package func publishedKeyIDs() -> [String] { signingKeys.map(\.keyID) }

    /// Spoils the next ID token as described (once).
    package func setNextIDTokenOverrides(_ overrides: IDTokenOverrides) { idTokenOverrides = overrides }

    /// Registers a client, or replaces the one with the same id (e.g. to set a back-channel URI known only at run time).
    package func register(_ client: Client) { clients[client.id] = client }

    /// Clears latency, forced answers, ID-token overrides and counters.
    package func resetKnobs() {
        grantCounts = GrantCounts()
        tokenLatency = .zero
        tokenAnswerDelay = .zero
        forcedTokenResponses = []
        idTokenOverrides = nil
    }

    /// A signed logout token for `clientID`, as the back-channel sender would POST it; nothing is sent or ended.
    package func makeLogoutToken(clientID: String, sid: String? = nil, sub: String? = nil) throws -> String {
        try signLogoutToken(clientID: clientID, sid: sid, sub: sub, now: Date())
    }

    /// The `sid`s of live login sessions of `subject`, newest first.
    package func sessionIDs(subject: String) -> [String] {
        sessions.filter { $0.value.subject == subject }.sorted { $0.value.authTime > $1.value.authTime }.map(\.key)
    }
}

package import Foundation

/// Validates back-channel logout tokens (OpenID Connect Back-Channel Logout 1.0 §2.6).
package struct LogoutTokenValidator: Sendable {
    /// The `events` member that marks a logout token.
    package static let backchannelLogoutEvent = "http://schemas.openid.net/event/backchannel-logout"

    /// The configured issuer.
    package var issuer: String
    /// The client id; must be in `aud`.
    package var clientID: String
    /// Audiences besides the client id that may appear in `aud`.
    package var trustedAudiences: Set<String>
    /// Allowed clock skew.
    package var leeway: Duration
    /// How old `iat` may be; also how long a `jti` must be remembered to refuse replays.
    package var maximumAge: Duration

    /// Creates a validator.
    package init(
        issuer: String,
        clientID: String,
        trustedAudiences: Set<String> = [],
        leeway: Duration = .seconds(60),
        maximumAge: Duration = .seconds(300)
    ) {
        self.issuer = issuer
        self.clientID = clientID
        self.trustedAudiences = trustedAudiences
        self.leeway = leeway
        self.maximumAge = maximumAge
    }

    /// How long to remember a token's `jti`: every token older than this is refused anyway.
    package var replayWindow: Duration { self.maximumAge + self.leeway * 2 }

    /// Validates a `logout_token` and returns its claims; replay tracking of ``LogoutTokenClaims/tokenID`` is the caller's.
    package func validate(_ token: String, keys: JWKSet, now: Date) throws(JWTValidationError) -> LogoutTokenClaims {
        let jwt = try SignedJWT(verifying: token, keys: keys)
        if let typ = jwt.header["typ"] {
            let value = typ.stringValue?.lowercased()
            guard value == "logout+jwt" || value == "application/logout+jwt" else { throw .invalidType }
        }
        let claims = jwt.claims
        let issuer = try ClaimChecks.issuer(claims, expected: self.issuer)
        _ = try ClaimChecks.audience(claims, clientID: self.clientID, trusted: self.trustedAudiences)
        let issuedAt = try ClaimChecks.requiredDate(claims, "iat")
        try ClaimChecks.times(
            exp: try ClaimChecks.date(claims, "exp"),
            nbf: try ClaimChecks.date(claims, "nbf"),
            iat: issuedAt,
            now: now,
            leeway: self.leeway.timeInterval
        )
        guard now.timeIntervalSince(issuedAt) <= (self.maximumAge + self.leeway).timeInterval else { throw .tooOld }
        guard let tokenID = try ClaimChecks.optionalString(claims, "jti"), !tokenID.isEmpty else {
            throw JWTValidationError.missingClaim.detailed("jti")
        }
        guard case .object(let events)? = claims["events"], case .object? = events[Self.backchannelLogoutEvent] else {
            throw .missingLogoutEvent
        }
        guard claims["nonce"] == nil else { throw .nonceNotAllowed }
        let subject = try ClaimChecks.optionalString(claims, "sub")
        let sessionID = try ClaimChecks.optionalString(claims, "sid")
        guard subject?.isEmpty == false || sessionID?.isEmpty == false else { throw .missingSubjectAndSessionID }
        return LogoutTokenClaims(
            subject: subject.flatMap { $0.isEmpty ? nil : $0 },
            sessionID: sessionID.flatMap { $0.isEmpty ? nil : $0 },
            tokenID: tokenID,
            issuedAt: issuedAt,
            issuer: issuer
        )
    }
}

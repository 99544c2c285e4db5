package import Foundation

/// Validates ID tokens (OpenID Connect Core §3.1.3.7) with the expected values passed in.
///
/// Nothing here reads a clock or jwt-kit defaults: `now`, the issuer, the client id and the
/// nonce all come from the caller, so each check is testable and explicit.
package struct IDTokenValidator: Sendable {
    /// Why a token is being validated, which decides the `nonce` and `sub` rules.
    package enum Purpose: Sendable, Hashable {
        /// The token from the code exchange: `nonce` must equal the one sent in the login request.
        case login(nonce: String)
        /// A token from a refresh (OpenID Connect Core §12.2): `nonce` may be absent, and `sub`
        /// must equal the session's.
        case refresh(subject: String)
    }

    /// The configured issuer; `iss` must equal it exactly.
    package var issuer: String
    /// The client id; must be in `aud`, and equal `azp` when present.
    package var clientID: String
    /// Audiences besides the client id that may appear in `aud`.
    package var trustedAudiences: Set<String>
    /// Allowed clock skew for `exp`, `nbf` and `iat`.
    package var leeway: Duration

    /// Creates a validator.
    package init(issuer: String, clientID: String, trustedAudiences: Set<String> = [], leeway: Duration = .seconds(60)) {
        self.issuer = issuer
        self.clientID = clientID
        self.trustedAudiences = trustedAudiences
        self.leeway = leeway
    }

    /// Validates `token` and returns its claims.
    ///
    /// - Throws: ``JWTValidationError``; ``JWTValidationError/unknownKeyID`` means the key set may
    ///   be stale, and the caller may refetch it once (see ``JWKSRefetchPolicy``) and retry.
    package func validate(_ token: IDToken, keys: JWKSet, purpose: Purpose, now: Date) throws(JWTValidationError) -> IDTokenClaims {
        let jwt = try SignedJWT(verifying: token.value, keys: keys)
        // A logout token is signed by the same keys; it must never pass as an ID token.
        if let typ = jwt.header["typ"]?.stringValue?.lowercased(), typ.hasSuffix("logout+jwt") { throw .invalidType }
        let claims = jwt.claims
        guard claims["events"] == nil else { throw .invalidType }
        let issuer = try ClaimChecks.issuer(claims, expected: self.issuer)
        let audiences = try ClaimChecks.audience(claims, clientID: self.clientID, trusted: self.trustedAudiences)
        let authorizedParty = try ClaimChecks.optionalString(claims, "azp")
        if let authorizedParty, authorizedParty != self.clientID { throw .invalidAuthorizedParty }
        if audiences.count > 1, authorizedParty == nil { throw .invalidAuthorizedParty }
        let expiresAt = try ClaimChecks.requiredDate(claims, "exp")
        let issuedAt = try ClaimChecks.requiredDate(claims, "iat")
        try ClaimChecks.times(
            exp: expiresAt,
            nbf: try ClaimChecks.date(claims, "nbf"),
            iat: issuedAt,
            now: now,
            leeway: self.leeway.timeInterval
        )
        guard let subject = try ClaimChecks.optionalString(claims, "sub"), !subject.isEmpty else {
            throw JWTValidationError.missingClaim.detailed("sub")
        }
        let nonce = try ClaimChecks.optionalString(claims, "nonce")
        switch purpose {
        case .login(let expected):
            guard let nonce else { throw .missingNonce }
            guard nonce == expected else { throw .nonceMismatch }
        case .refresh(let expectedSubject):
            guard subject == expectedSubject else { throw .subjectMismatch }
        }
        return IDTokenClaims(
            subject: subject,
            sessionID: try ClaimChecks.optionalString(claims, "sid"),
            issuer: issuer,
            audiences: audiences,
            expiresAt: expiresAt,
            issuedAt: issuedAt,
            nonce: nonce,
            all: claims
        )
    }
}

package import Foundation

/// The claims of a logout token that passed ``LogoutTokenValidator``.
package struct LogoutTokenClaims: Sendable, Hashable {
    /// `sub`, when present: end every session of this user.
    package var subject: String?
    /// `sid`, when present: end the sessions of this provider session.
    package var sessionID: String?
    /// `jti`: record it (e.g. `SessionStore.markSeen(jti:ttl:)`) to refuse replays.
    package var tokenID: String
    /// `iat`.
    package var issuedAt: Date
    /// `iss`.
    package var issuer: String
}

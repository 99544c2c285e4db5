public import Foundation

/// The claims of a logout token that passed ``LogoutTokenValidator``.
public struct LogoutTokenClaims: Sendable, Hashable {
    /// `sub`, when present: end every session of this user.
    public var subject: String?
    /// `sid`, when present: end the sessions of this provider session.
    public var sessionID: String?
    /// `jti`: record it (e.g. `SessionStore.markSeen(jti:ttl:)`) to refuse replays.
    public var tokenID: String
    /// `iat`.
    public var issuedAt: Date
    /// `iss`.
    public var issuer: String
}

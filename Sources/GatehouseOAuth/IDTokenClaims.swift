public import Foundation

/// The claims of an ID token that passed ``IDTokenValidator``.
public struct IDTokenClaims: Sendable, Hashable, Codable {
    /// `sub`: the user at this provider.
    public var subject: String
    /// `sid`: the provider's session id, used by back-channel logout.
    public var sessionID: String?
    /// `iss`.
    public var issuer: String
    /// `aud`, as a list.
    public var audiences: [String]
    /// `exp`.
    public var expiresAt: Date
    /// `iat`.
    public var issuedAt: Date
    /// `nonce`, when present.
    public var nonce: String?
    /// Every claim as sent, for `/bff/user`.
    public var all: [String: JSONValue]

    /// Creates claims directly (tests, stored records).
    public init(
        subject: String,
        sessionID: String? = nil,
        issuer: String,
        audiences: [String],
        expiresAt: Date,
        issuedAt: Date,
        nonce: String? = nil,
        all: [String: JSONValue] = [:]
    ) {
        self.subject = subject
        self.sessionID = sessionID
        self.issuer = issuer
        self.audiences = audiences
        self.expiresAt = expiresAt
        self.issuedAt = issuedAt
        self.nonce = nonce
        self.all = all
    }
}

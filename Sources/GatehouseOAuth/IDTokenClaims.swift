package import Foundation

/// The claims of an ID token that passed ``IDTokenValidator``.
package struct IDTokenClaims: Sendable, Hashable, Codable {
    /// `sub`: the user at this provider.
    package var subject: String
    /// `sid`: the provider's session id, used by back-channel logout.
    package var sessionID: String?
    /// `iss`.
    package var issuer: String
    /// `aud`, as a list.
    package var audiences: [String]
    /// `exp`.
    package var expiresAt: Date
    /// `iat`.
    package var issuedAt: Date
    /// `nonce`, when present.
    package var nonce: String?
    /// Every claim as sent, for `/bff/user`.
    package var all: [String: JSONValue]

    /// Creates claims directly (tests, stored records).
    package init(
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

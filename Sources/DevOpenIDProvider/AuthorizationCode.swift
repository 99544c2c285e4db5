import Foundation

/// An issued authorization code and everything it is bound to.
struct AuthorizationCode: Sendable {
    var clientID: String
    var redirectURI: String
    var codeChallenge: String
    var nonce: String?
    var scopes: [String]
    var subject: String
    var sessionID: String
    var authTime: Date
    var acr: String
    var expiresAt: Date
    /// Set on first redemption: a second one revokes what the first produced (RFC 6749 §4.1.2).
    var isRedeemed = false
    var issuedFamilyID: String?
    var issuedAccessToken: String?
}

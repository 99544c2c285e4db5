import Foundation

/// A validated authorization request waiting for the user on the login page.
struct AuthorizationRequest: Sendable {
    var clientID: String
    var redirectURI: String
    var state: String?
    var nonce: String?
    var scopes: [String]
    var codeChallenge: String
    var expiresAt: Date
}

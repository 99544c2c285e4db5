import Foundation

/// A validated authorization request waiting for the user on the login page.
struct AuthorizationRequest: Sendable {
    var clientID: String
    var redirectURI: String
    var state: String?
    var nonce: String?
    var scopes: [String]
    var codeChallenge: String
    /// `acr_values`, in order of preference.
    var acrValues: [String] = []
    /// `max_age` in seconds.
    var maxAge: Int?
    /// Set once the password step passed and a second factor is due.
    var passwordSubject: String?
    var expiresAt: Date
}

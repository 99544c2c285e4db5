import Foundation

/// The tokens descended from one authorization code; reuse of any rotated member revokes them all.
struct RefreshFamily: Sendable {
    var clientID: String
    var subject: String
    var sessionID: String
    var scopes: [String]
    var authTime: Date
    var acr: String
    var refreshTokens: [String] = []
    var accessTokens: [String] = []
    var isRevoked = false
    /// The DPoP key the grant is bound to: its refreshes need a proof of the same key.
    var jkt: String? = nil
}

import Foundation

/// What an opaque access token stands for.
struct AccessTokenRecord: Sendable {
    var clientID: String
    /// `nil` for client-credentials tokens.
    var subject: String?
    var scopes: [String]
    var expiresAt: Date
    var familyID: String?
    /// The audience a token exchange bound it to (introspection's `aud`); `nil` for the client's own tokens.
    var audience: String? = nil
    /// The RFC 7638 thumbprint of the DPoP key the token is bound to (`cnf.jkt`); `nil` for a bearer token.
    var jkt: String? = nil
}

import Foundation

/// What an opaque access token stands for.
struct AccessTokenRecord: Sendable {
    var clientID: String
    /// `nil` for client-credentials tokens.
    var subject: String?
    var scopes: [String]
    var expiresAt: Date
    var familyID: String?
}

import Foundation

/// A successful login at the provider, named by the `sid` claim.
struct LoginSession: Sendable {
    var subject: String
    var authTime: Date
    var clientIDs: Set<String>
}

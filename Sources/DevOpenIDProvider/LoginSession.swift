import Foundation

/// A successful login at the provider, named by the `sid` claim.
struct LoginSession: Sendable {
    var subject: String
    var authTime: Date
    /// How the user authenticated: ``DevOpenIDProvider/passwordACR`` or ``DevOpenIDProvider/multiFactorACR``.
    var acr: String
    var clientIDs: Set<String>
}

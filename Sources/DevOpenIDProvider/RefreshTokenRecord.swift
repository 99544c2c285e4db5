import Foundation

/// One refresh token of a rotation family.
struct RefreshTokenRecord: Sendable {
    var familyID: String
    var expiresAt: Date
    /// Set once it has been exchanged; presenting it again is reuse.
    var isRotated = false
}

package import GatehouseOAuth

/// Identifies the holder of a ``RefreshLock``: random per acquisition, so a replica whose lease
/// ran out cannot release or renew a lock another replica now holds.
package struct LockOwner: Sendable, Hashable, CustomStringConvertible {
    /// The token stored as the lock's value.
    package let token: String

    /// Wraps an existing token.
    package init(token: String) {
        self.token = token
    }

    /// A fresh random owner token (128 bits).
    package static func generate(using random: some RandomSource) -> LockOwner {
        LockOwner(token: random.base64URLToken(byteCount: 16))
    }

    /// The token; not a secret.
    package var description: String { self.token }
}

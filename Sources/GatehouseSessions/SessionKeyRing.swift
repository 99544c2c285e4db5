import Synchronization

/// The session cipher in force, replaced whole when a reload rotates `session.encryption_keys`.
/// Each seal or open takes the cipher once, so it uses one key set from start to end.
final class SessionKeyRing: Sendable {
    private let cipher: Mutex<SessionCipher>

    init(_ cipher: SessionCipher) {
        self.cipher = Mutex(cipher)
    }

    var current: SessionCipher {
        cipher.withLock { $0 }
    }

    /// Installs `newCipher`; returns whether a key that opened records before no longer does.
    func replace(with newCipher: SessionCipher) -> Bool {
        cipher.withLock { cipher in
            let dropped = !Set(cipher.keyIDs).isSubset(of: Set(newCipher.keyIDs))
            cipher = newCipher
            return dropped
        }
    }
}

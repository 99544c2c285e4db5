import GatehouseOAuth

/// How the sessions API names a session: a keyed hash of its store key, so a handle shown to
/// the browser (or put in a log) can be turned neither into a cookie nor into a Redis key.
package struct SessionHandle: Sendable, Hashable, CustomStringConvertible {
    /// 22 base64url characters (128 bits).
    package let rawValue: String

    /// The handle of the session stored under `key`.
    init(key: SessionKey, cipher: SessionCipher) {
        let digest = cipher.digest(key.rawValue, purpose: "gatehouse session handle v1").prefix(16)
        self.rawValue = Base64URL.encode(Array(digest))
    }

    /// A handle as the browser sends it back; `nil` when it cannot be one (wrong length or alphabet).
    package init?(rawValue: String) {
        guard rawValue.utf8.count == 22, rawValue.utf8.allSatisfy(Base64URL.isAlphabet) else { return nil }
        self.rawValue = rawValue
    }

    package var description: String { rawValue }
}

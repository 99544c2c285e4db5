public import GatehouseOAuth

/// The random value in the session cookie: 256 bits, base64url (43 characters).
///
/// It is a bearer secret: `description` is redacted, and stores only ever see its hash
/// (``SessionKey``), so a store dump yields no usable cookie.
public struct SessionID: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The cookie value.
    public let cookieValue: String

    private init(checked cookieValue: String) {
        self.cookieValue = cookieValue
    }

    /// Makes a fresh id from 32 random bytes.
    public static func generate(using random: some RandomSource) -> SessionID {
        SessionID(checked: random.base64URLToken(byteCount: 32))
    }

    /// Parses a cookie value strictly: exactly 43 base64url characters that decode to 32 bytes.
    public init?(cookieValue: String) {
        guard cookieValue.utf8.count == 43, let bytes = Base64URL.decode(cookieValue), bytes.count == 32,
            // The last character carries 2 unused bits; only the canonical spelling is accepted.
            Base64URL.encode(bytes) == cookieValue
        else { return nil }
        self.cookieValue = cookieValue
    }

    /// The store key: a hash of the id.
    public var key: SessionKey { SessionKey(hashing: self.cookieValue) }

    /// Always `<redacted>`.
    public var description: String { "<redacted>" }
    /// Always `<redacted>`.
    public var debugDescription: String { "<redacted>" }
    /// An empty mirror, so `dump` shows nothing.
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}

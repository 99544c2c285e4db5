package import GatehouseOAuth

/// The random value in the session cookie: 256 bits, base64url (43 characters).
///
/// It is a bearer secret: `description` is redacted, and stores only ever see its hash
/// (``SessionKey``), so a store dump yields no usable cookie.
package struct SessionID: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The cookie value.
    package let cookieValue: String
    /// The store key: a hash of the id (computed once; every request needs it).
    package let key: SessionKey

    private init(checked cookieValue: String) {
        self.cookieValue = cookieValue
        self.key = SessionKey(hashing: cookieValue)
    }

    /// Makes a fresh id from 32 random bytes.
    package static func generate(using random: some RandomSource) -> SessionID {
        SessionID(checked: random.base64URLToken(byteCount: 32))
    }

    /// Parses a cookie value strictly: exactly 43 base64url characters that decode to 32 bytes.
    ///
    /// Checked on the bytes, without decoding: this runs on every proxied request.
    package init?(cookieValue: String) {
        let utf8 = cookieValue.utf8
        let valid = utf8.withContiguousStorageIfAvailable { Self.isCanonical($0) } ?? Self.isCanonical(Array(utf8))
        guard valid else { return nil }
        self.init(checked: cookieValue)
    }

    /// 43 characters of the base64url alphabet whose last one leaves its 2 unused bits zero
    /// (the only spelling of 32 bytes that decodes back to the same text).
    private static func isCanonical(_ bytes: some Collection<UInt8>) -> Bool {
        guard bytes.count == 43 else { return false }
        var last: UInt8 = 0
        for byte in bytes {
            guard let value = base64URLValue(byte) else { return false }
            last = value
        }
        return last & 0b11 == 0
    }

    private static func base64URLValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): byte - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): byte - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0") + 52
        case UInt8(ascii: "-"): 62
        case UInt8(ascii: "_"): 63
        default: nil
        }
    }

    /// Always `<redacted>`.
    package var description: String { "<redacted>" }
    /// Always `<redacted>`.
    package var debugDescription: String { "<redacted>" }
    /// An empty mirror, so `dump` shows nothing.
    package var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}

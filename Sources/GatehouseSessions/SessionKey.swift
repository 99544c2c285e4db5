import Crypto

/// What stores key a session on: the SHA-256 of the ``SessionID``, lower-case hex (64 characters).
///
/// Safe to log and to use as a Redis key: it cannot be turned back into a cookie.
package struct SessionKey: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The hex digest.
    package let rawValue: String

    /// Hashes a secret (a session id's cookie value, or a login-state handle).
    package init(hashing secret: String) {
        let digest = SHA256.hash(data: Array(secret.utf8))
        // One allocation for the text: this runs on every request.
        let digits = Array("0123456789abcdef".utf8)
        self.rawValue = String(unsafeUninitializedCapacity: 64) { buffer in
            var index = 0
            for byte in digest {
                buffer[index] = digits[Int(byte >> 4)]
                buffer[index + 1] = digits[Int(byte & 0x0f)]
                index += 2
            }
            return 64
        }
    }

    /// Wraps a digest read back from a store index; `nil` unless it is 64 lower-case hex digits.
    package init?(rawValue: String) {
        guard rawValue.utf8.count == 64,
            rawValue.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0) })
        else { return nil }
        self.rawValue = rawValue
    }

    /// The hex digest.
    package var description: String { self.rawValue }
}

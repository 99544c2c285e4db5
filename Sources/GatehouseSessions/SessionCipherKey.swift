import Crypto
package import Foundation

/// One AES-256 key of the session key ring, with the id written into every sealed header.
package struct SessionCipherKey: Sendable, CustomStringConvertible {
    let key: SymmetricKey
    /// The first 8 bytes of SHA-256 of the key: identifies the key without revealing it.
    package let keyID: [UInt8]

    /// Wraps 32 raw key bytes.
    package init(bytes: some ContiguousBytes) throws(SessionCipherError) {
        let key = SymmetricKey(data: bytes)
        guard key.bitCount == 256 else { throw .invalidKey }
        self.key = key
        self.keyID = key.withUnsafeBytes { Array(SHA256.hash(data: $0).prefix(8)) }
    }

    /// Reads a base64 key as `gatehouse keygen` prints it.
    package init(base64: String) throws(SessionCipherError) {
        guard let data = Data(base64Encoded: base64.trimmingCharacters(in: .whitespacesAndNewlines)) else { throw .invalidKey }
        try self.init(bytes: data)
    }

    /// A fresh random key, base64 encoded (for `gatehouse keygen`).
    package static func generateBase64() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() }
    }

    /// The key id in hex; never the key.
    package var description: String {
        "SessionCipherKey(id: \(self.keyID.map { String(format: "%02x", $0) }.joined()))"
    }
}

import Crypto
import Foundation

/// Seals session data with AES-256-GCM under a key ring: the first key seals, every key opens.
///
/// Layout: `version (1) | key id (8) | nonce (12) | ciphertext | tag (16)`. The header and the
/// caller's context (the store key) are authenticated as associated data, so a record copied to
/// another key, or a header edited to point at another key, fails to open.
package struct SessionCipher: Sendable {
    static let version: UInt8 = 1
    static let keyIDLength = 8
    static let nonceLength = 12
    static let tagLength = 16
    static let headerLength = 1 + keyIDLength

    private let keys: [SessionCipherKey]

    /// Creates a cipher; `keys.first` seals, all open (rotation: prepend the new key).
    package init(keys: [SessionCipherKey]) throws(SessionCipherError) {
        guard !keys.isEmpty else { throw .noKeys }
        self.keys = keys
    }

    /// The ids of the keys that open records, the sealing key's first.
    var keyIDs: [[UInt8]] { keys.map(\.keyID) }

    /// A keyed digest of `message` under a key derived from the sealing key (HKDF, `purpose` as
    /// info): the same on every replica with the same keys, useless without them.
    package func digest(_ message: String, purpose: String) -> [UInt8] {
        let derived = HKDF<SHA256>.deriveKey(inputKeyMaterial: self.keys[0].key, info: Array(purpose.utf8), outputByteCount: 32)
        return Array(HMAC<SHA256>.authenticationCode(for: Array(message.utf8), using: derived))
    }

    /// Encrypts `plaintext`, binding it to `context` (e.g. the store key it will be saved under).
    package func seal(_ plaintext: [UInt8], context: String) throws -> [UInt8] {
        let key = self.keys[0]
        let header = [Self.version] + key.keyID
        let box = try AES.GCM.seal(plaintext, using: key.key, nonce: AES.GCM.Nonce(), authenticating: header + Array(context.utf8))
        return header + Array(box.nonce) + Array(box.ciphertext) + Array(box.tag)
    }

    /// Decrypts data sealed with any key of the ring for the same `context`.
    package func open(_ sealed: [UInt8], context: String) throws(SessionCipherError) -> [UInt8] {
        guard sealed.count >= Self.headerLength + Self.nonceLength + Self.tagLength else { throw .truncated }
        guard sealed[0] == Self.version else { throw .unknownVersion }
        let keyID = Array(sealed[1..<Self.headerLength])
        guard let key = self.keys.first(where: { $0.keyID == keyID }) else { throw .unknownKey }
        let nonceEnd = Self.headerLength + Self.nonceLength
        let tagStart = sealed.count - Self.tagLength
        do {
            let box = try AES.GCM.SealedBox(
                nonce: AES.GCM.Nonce(data: Array(sealed[Self.headerLength..<nonceEnd])),
                ciphertext: Array(sealed[nonceEnd..<tagStart]),
                tag: Array(sealed[tagStart...])
            )
            let header = Array(sealed[..<Self.headerLength])
            return Array(try AES.GCM.open(box, using: key.key, authenticating: header + Array(context.utf8)))
        } catch {
            throw .authenticationFailed
        }
    }
}

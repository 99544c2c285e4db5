/// A source of random bytes, injected so that tests can make ids, nonces and verifiers reproducible.
///
/// Product code uses ``SystemRandomSource``; anything security relevant (state, nonce, PKCE verifier,
/// session ids, AES-GCM nonces are separate) draws from it.
package protocol RandomSource: Sendable {
    /// Returns `count` random bytes.
    func bytes(_ count: Int) -> [UInt8]
}

extension RandomSource {
    /// Returns `byteCount` random bytes encoded as unpadded base64url.
    package func base64URLToken(byteCount: Int = 32) -> String {
        Base64URL.encode(self.bytes(byteCount))
    }
}

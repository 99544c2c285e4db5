/// Random opaque values: codes, tokens, session ids, key ids.
enum RandomToken {
    /// `byteCount` random bytes from the system generator, base64url-encoded.
    static func make(byteCount: Int = 32) -> String {
        var generator = SystemRandomNumberGenerator()
        return Base64URL.encode((0..<byteCount).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }
}

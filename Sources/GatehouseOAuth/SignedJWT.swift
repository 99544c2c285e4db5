/// A compact JWS whose signature has been verified against a ``JWKSet``.
///
/// Internal: validators build on it and then check claims with the expected values passed in.
struct SignedJWT {
    let header: [String: JSONValue]
    let claims: [String: JSONValue]

    /// Tokens larger than this are refused before any decoding.
    static let maximumLength = 16 * 1024

    /// Parses `token`, selects the key by the header's own `kid` and verifies the signature.
    init(verifying token: String, keys: JWKSet) throws(JWTValidationError) {
        let bytes = Array(token.utf8)
        guard bytes.count <= Self.maximumLength else { throw .malformed }
        let parts = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 3,
            let headerBytes = Base64URL.decode(String(decoding: parts[0], as: UTF8.self)),
            let payloadBytes = Base64URL.decode(String(decoding: parts[1], as: UTF8.self)),
            let signature = Base64URL.decode(String(decoding: parts[2], as: UTF8.self)),
            let header = try? JSONBody.decode([String: JSONValue].self, from: headerBytes),
            let claims = try? JSONBody.decode([String: JSONValue].self, from: payloadBytes)
        else { throw .malformed }
        // We understand no JWS extensions, so any critical one makes the token unusable (RFC 7515 §4.1.11).
        guard header["crit"] == nil else { throw .malformed }
        guard let alg = header["alg"]?.stringValue else { throw .malformed }
        // `none`, `HS*` and anything unknown stop here, before any key is touched.
        guard let algorithm = JWSAlgorithm(rawValue: alg) else { throw .unsupportedAlgorithm }
        let keyID: String?
        switch header["kid"] {
        case nil: keyID = nil
        case .string(let value)?: keyID = value
        default: throw .malformed
        }
        let signingInput = Array(bytes[..<(parts[0].count + 1 + parts[1].count)])
        let candidates = try keys.candidates(keyID: keyID, algorithm: algorithm)
        guard candidates.contains(where: { $0.isValidSignature(signature, for: signingInput, algorithm: algorithm) }) else {
            throw .badSignature
        }
        self.header = header
        self.claims = claims
    }
}

/// The provider's signing keys (a parsed JWKS), each pinned to its allowed algorithms.
package struct JWKSet: Sendable {
    /// The usable keys; symmetric, encryption-only and too-small keys are left out.
    package let keys: [VerificationKey]

    /// Parses a JWKS document.
    ///
    /// - Parameters:
    ///   - body: the `jwks_uri` answer.
    ///   - fallbackAlgorithms: the provider's `id_token_signing_alg_values_supported`, used for keys
    ///     whose JWK names no `alg`; when that list has nothing usable, RSA keys get RS256 only
    ///     (OpenID Connect's default).
    /// - Throws: ``KeySetError``, including ``KeySetError/noUsableKeys``.
    package init(jwks body: some Collection<UInt8>, fallbackAlgorithms: [String] = ["RS256"]) throws(KeySetError) {
        let document: Document
        do {
            document = try JSONBody.decode(Document.self, from: body)
        } catch {
            throw KeySetError(problem: error)
        }
        let fallback = Set(fallbackAlgorithms.compactMap(JWSAlgorithm.init(rawValue:)))
        self.keys = document.keys.compactMap { $0.key.flatMap { VerificationKey($0, fallbackAlgorithms: fallback) } }
        guard !self.keys.isEmpty else { throw .noUsableKeys }
    }

    /// The keys that may verify a token with this header's `kid` and `alg`.
    ///
    /// With a `kid`, only keys with exactly that id; without one, the keys usable with `alg`, and
    /// only if that is a single key (OpenID Connect Core §10.1).
    func candidates(keyID: String?, algorithm: JWSAlgorithm) throws(JWTValidationError) -> [VerificationKey] {
        if let keyID {
            let matching = self.keys.filter { $0.keyID == keyID }
            guard !matching.isEmpty else { throw .unknownKeyID }
            let usable = matching.filter { $0.algorithms.contains(algorithm) }
            guard !usable.isEmpty else { throw .algorithmNotAllowed }
            return usable
        }
        let usable = self.keys.filter { $0.algorithms.contains(algorithm) }
        guard !usable.isEmpty else { throw .algorithmNotAllowed }
        guard usable.count == 1 else { throw .missingKeyID }
        return usable
    }

    private struct Document: Decodable {
        var keys: [Lenient]
    }

    // One odd key must not take the whole set down.
    private struct Lenient: Decodable {
        var key: JSONWebKey?
        init(from decoder: any Decoder) throws { self.key = try? JSONWebKey(from: decoder) }
    }
}

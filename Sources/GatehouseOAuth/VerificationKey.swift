import Crypto
import _CryptoExtras

/// One public key from the provider's JWKS, pinned to the algorithms it may verify.
///
/// Pinning happens when the key set is built, from the JWK's own `alg` or else the provider's
/// `id_token_signing_alg_values_supported`; a token's header can only pick among those, so a
/// forged header cannot change how a key is used (unlike jwt-kit 5.8's per-key algorithm cache).
package struct VerificationKey: Sendable {
    private enum Key: Sendable {
        case rsa(_RSA.Signing.PublicKey)
        case p256(P256.Signing.PublicKey)
        case p384(P384.Signing.PublicKey)
        case p521(P521.Signing.PublicKey)
    }

    private let key: Key
    /// The JWK `kid`, if any.
    package let keyID: String?
    /// The algorithms this key may verify.
    package let algorithms: Set<JWSAlgorithm>

    /// Builds a key from a JWK; `nil` when the JWK is not a usable signature-verification key.
    init?(_ jwk: JSONWebKey, fallbackAlgorithms: Set<JWSAlgorithm>) {
        if let use = jwk.use, use != "sig" { return nil }
        self.keyID = jwk.kid
        if let ops = jwk.key_ops, !ops.contains("verify") { return nil }
        let named: JWSAlgorithm?
        if let alg = jwk.alg {
            // A key that names an algorithm we do not accept (HS256, RSA-OAEP, …) is never used.
            guard let algorithm = JWSAlgorithm(rawValue: alg) else { return nil }
            named = algorithm
        } else {
            named = nil
        }
        switch jwk.kty {
        case "RSA":
            guard let n = jwk.n.flatMap({ Base64URL.decode($0) }), let e = jwk.e.flatMap({ Base64URL.decode($0) }),
                let key = try? _RSA.Signing.PublicKey(n: n, e: e), key.keySizeInBits >= 2048
            else { return nil }
            self.key = .rsa(key)
            if let named {
                guard named.isRSA else { return nil }
                self.algorithms = [named]
            } else {
                let fallback = fallbackAlgorithms.filter(\.isRSA)
                self.algorithms = fallback.isEmpty ? [.rs256] : fallback
            }
        case "EC":
            guard let x = jwk.x.flatMap({ Base64URL.decode($0) }), let y = jwk.y.flatMap({ Base64URL.decode($0) }) else { return nil }
            let point: [UInt8] = [0x04] + x + y
            let curveAlgorithm: JWSAlgorithm
            switch jwk.crv {
            case "P-256":
                guard x.count == 32, y.count == 32, let key = try? P256.Signing.PublicKey(x963Representation: point) else { return nil }
                self.key = .p256(key)
                curveAlgorithm = .es256
            case "P-384":
                guard x.count == 48, y.count == 48, let key = try? P384.Signing.PublicKey(x963Representation: point) else { return nil }
                self.key = .p384(key)
                curveAlgorithm = .es384
            case "P-521":
                guard x.count == 66, y.count == 66, let key = try? P521.Signing.PublicKey(x963Representation: point) else { return nil }
                self.key = .p521(key)
                curveAlgorithm = .es512
            default:
                return nil
            }
            // For EC the curve fixes the algorithm; a JWK `alg` can only agree with it.
            if let named, named != curveAlgorithm { return nil }
            self.algorithms = [curveAlgorithm]
        default:
            return nil
        }
    }

    /// Whether `signature` is valid for `signingInput` under `algorithm`, which must be pinned to this key.
    func isValidSignature(_ signature: [UInt8], for signingInput: [UInt8], algorithm: JWSAlgorithm) -> Bool {
        guard self.algorithms.contains(algorithm) else { return false }
        switch (self.key, algorithm) {
        case (.rsa(let key), .rs256):
            return key.isValidSignature(.init(rawRepresentation: signature), for: SHA256.hash(data: signingInput), padding: .insecurePKCS1v1_5)
        case (.rsa(let key), .rs384):
            return key.isValidSignature(.init(rawRepresentation: signature), for: SHA384.hash(data: signingInput), padding: .insecurePKCS1v1_5)
        case (.rsa(let key), .rs512):
            return key.isValidSignature(.init(rawRepresentation: signature), for: SHA512.hash(data: signingInput), padding: .insecurePKCS1v1_5)
        case (.rsa(let key), .ps256):
            return key.isValidSignature(.init(rawRepresentation: signature), for: SHA256.hash(data: signingInput), padding: .PSS)
        case (.rsa(let key), .ps384):
            return key.isValidSignature(.init(rawRepresentation: signature), for: SHA384.hash(data: signingInput), padding: .PSS)
        case (.rsa(let key), .ps512):
            return key.isValidSignature(.init(rawRepresentation: signature), for: SHA512.hash(data: signingInput), padding: .PSS)
        case (.p256(let key), .es256):
            guard let signature = try? P256.Signing.ECDSASignature(rawRepresentation: signature) else { return false }
            return key.isValidSignature(signature, for: SHA256.hash(data: signingInput))
        case (.p384(let key), .es384):
            guard let signature = try? P384.Signing.ECDSASignature(rawRepresentation: signature) else { return false }
            return key.isValidSignature(signature, for: SHA384.hash(data: signingInput))
        case (.p521(let key), .es512):
            guard let signature = try? P521.Signing.ECDSASignature(rawRepresentation: signature) else { return false }
            return key.isValidSignature(signature, for: SHA512.hash(data: signingInput))
        default:
            return false
        }
    }
}

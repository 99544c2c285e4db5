import Crypto
import Foundation
import _CryptoExtras

/// A client's registered public key for `private_key_jwt`, parsed from its JWK.
///
/// The algorithm is fixed by the key type (RSA → RS256, P-256 → ES256) so an
/// assertion's header can never choose a different one.
struct ClientPublicKey: Sendable {
    private enum Key: Sendable {
        case rsa(_RSA.Signing.PublicKey)
        case p256(P256.Signing.PublicKey)
    }

    private struct JWKFields: Decodable {
        var kty: String
        var kid: String?
        var alg: String?
        var n: String?
        var e: String?
        var crv: String?
        var x: String?
        var y: String?
    }

    private let key: Key
    /// The `kid` the JWK names, if any.
    let keyID: String?

    /// The JWS `alg` this key verifies.
    var algorithm: String {
        switch key {
        case .rsa: "RS256"
        case .p256: "ES256"
        }
    }

    /// Parses a JWK JSON object; `nil` for unsupported or malformed keys.
    init?(jwkJSON: String) {
        guard let fields = try? JSONDecoder().decode(JWKFields.self, from: Data(jwkJSON.utf8)) else { return nil }
        switch fields.kty {
        case "RSA":
            guard fields.alg == nil || fields.alg == "RS256",
                let n = fields.n.flatMap({ Base64URL.decode($0) }), let e = fields.e.flatMap({ Base64URL.decode($0) }),
                let key = try? _RSA.Signing.PublicKey(n: n, e: e)
            else { return nil }
            self.key = .rsa(key)
        case "EC":
            guard fields.crv == "P-256", fields.alg == nil || fields.alg == "ES256",
                let x = fields.x.flatMap({ Base64URL.decode($0) }), let y = fields.y.flatMap({ Base64URL.decode($0) }),
                x.count == 32, y.count == 32,
                let key = try? P256.Signing.PublicKey(rawRepresentation: x + y)
            else { return nil }
            self.key = .p256(key)
        default:
            return nil
        }
        self.keyID = fields.kid
    }

    /// Whether `jws` is signed by this key with this key's algorithm.
    func verifies(_ jws: CompactJWS) -> Bool {
        guard jws.header.alg == algorithm else { return false }
        if let keyID, let headerKeyID = jws.header.kid, keyID != headerKeyID { return false }
        let digest = SHA256.hash(data: Data(jws.signingInput.utf8))
        switch key {
        case .rsa(let publicKey):
            return publicKey.isValidSignature(
                _RSA.Signing.RSASignature(rawRepresentation: jws.signature),
                for: digest,
                padding: .insecurePKCS1v1_5
            )
        case .p256(let publicKey):
            guard let signature = try? P256.Signing.ECDSASignature(rawRepresentation: jws.signature) else { return false }
            return publicKey.isValidSignature(signature, for: digest)
        }
    }
}

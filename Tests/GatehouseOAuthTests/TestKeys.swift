import Crypto
import Foundation
import GatehouseOAuth
import _CryptoExtras

/// Keys and a token signer for tests, built on swift-crypto independently of the validator.
struct TestKeys: Sendable {
    static let shared = TestKeys()

    let rsa: _RSA.Signing.PrivateKey
    let otherRSA: _RSA.Signing.PrivateKey
    let ec: P256.Signing.PrivateKey

    init() {
        self.rsa = try! _RSA.Signing.PrivateKey(keySize: .bits2048)
        self.otherRSA = try! _RSA.Signing.PrivateKey(keySize: .bits2048)
        self.ec = P256.Signing.PrivateKey()
    }

    static func base64URL(_ bytes: some DataProtocol) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func rsaJWK(_ key: _RSA.Signing.PublicKey, kid: String, alg: String? = "RS256") -> [String: Any] {
        let primitives = try! key.getKeyPrimitives()
        var jwk: [String: Any] = [
            "kty": "RSA", "kid": kid, "use": "sig",
            "n": base64URL(primitives.modulus), "e": base64URL(primitives.publicExponent),
        ]
        if let alg { jwk["alg"] = alg }
        return jwk
    }

    static func ecJWK(_ key: P256.Signing.PublicKey, kid: String) -> [String: Any] {
        let raw = key.rawRepresentation
        return [
            "kty": "EC", "kid": kid, "crv": "P-256", "alg": "ES256",
            "x": base64URL(raw.prefix(32)), "y": base64URL(raw.suffix(32)),
        ]
    }

    static func jwksJSON(_ keys: [[String: Any]]) -> [UInt8] {
        Array(try! JSONSerialization.data(withJSONObject: ["keys": keys]))
    }

    /// The default key set: the RSA key as `rsa-1` (RS256) and the EC key as `ec-1` (ES256).
    func keySet(fallback: [String] = ["RS256"]) -> JWKSet {
        try! JWKSet(
            jwks: Self.jwksJSON([
                Self.rsaJWK(self.rsa.publicKey, kid: "rsa-1"),
                Self.ecJWK(self.ec.publicKey, kid: "ec-1"),
            ]),
            fallbackAlgorithms: fallback
        )
    }

    enum Signature {
        case rs256(_RSA.Signing.PrivateKey)
        case ps256(_RSA.Signing.PrivateKey)
        case es256(P256.Signing.PrivateKey)
        case hs256(secret: [UInt8])
        case none
        case raw([UInt8])
    }

    /// A compact JWS with exactly this header and these claims.
    static func token(header: [String: Any], claims: [String: Any], signature: Signature) -> String {
        let headerJSON = try! JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        let claimsJSON = try! JSONSerialization.data(withJSONObject: claims, options: [.sortedKeys])
        let input = base64URL(headerJSON) + "." + base64URL(claimsJSON)
        let data = Array(input.utf8)
        let signatureBytes: [UInt8] =
            switch signature {
            case .rs256(let key):
                Array(try! key.signature(for: SHA256.hash(data: data), padding: .insecurePKCS1v1_5).rawRepresentation)
            case .ps256(let key):
                Array(try! key.signature(for: SHA256.hash(data: data), padding: .PSS).rawRepresentation)
            case .es256(let key):
                Array(try! key.signature(for: data).rawRepresentation)
            case .hs256(let secret):
                Array(HMAC<SHA256>.authenticationCode(for: data, using: SymmetricKey(data: secret)))
            case .none:
                []
            case .raw(let bytes):
                bytes
            }
        return input + "." + base64URL(signatureBytes)
    }

    /// Decodes the JSON of one part of a compact JWS.
    static func decodePart(_ token: String, _ index: Int) -> [String: Any] {
        var part = String(token.split(separator: ".", omittingEmptySubsequences: false)[index])
            .replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while part.count % 4 != 0 { part += "=" }
        return try! JSONSerialization.jsonObject(with: Data(base64Encoded: part)!) as! [String: Any]
    }
}

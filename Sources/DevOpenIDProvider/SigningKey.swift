import Crypto
import Foundation
import _CryptoExtras

/// One RS256 signing key of the provider, with the `kid` it is published under.
struct SigningKey: Sendable {
    let keyID: String
    private let privateKey: _RSA.Signing.PrivateKey

    /// Makes a fresh 2048-bit key.
    init(keyID: String = RandomToken.make(byteCount: 12)) throws {
        self.keyID = keyID
        self.privateKey = try _RSA.Signing.PrivateKey(keySize: .bits2048)
    }

    /// Signs `header.payload` with RSASSA-PKCS1-v1_5 SHA-256 and returns the compact JWS.
    func sign(header: some Encodable, payload: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let signingInput = Base64URL.encode(try encoder.encode(header)) + "." + Base64URL.encode(try encoder.encode(payload))
        let signature = try privateKey.signature(for: SHA256.hash(data: Data(signingInput.utf8)), padding: .insecurePKCS1v1_5)
        return signingInput + "." + Base64URL.encode(signature.rawRepresentation)
    }

    /// Whether `signature` is this key's RS256 signature over `signingInput`.
    func isValidSignature(_ signature: Data, for signingInput: some StringProtocol) -> Bool {
        privateKey.publicKey.isValidSignature(
            _RSA.Signing.RSASignature(rawRepresentation: signature),
            for: SHA256.hash(data: Data(signingInput.utf8)),
            padding: .insecurePKCS1v1_5
        )
    }

    /// The public half as a JWK (`kty`, `kid`, `alg`, `use`, `n`, `e`).
    func publicJWK() throws -> PublishedJWK {
        let primitives = try privateKey.publicKey.getKeyPrimitives()
        return PublishedJWK(
            kty: "RSA",
            kid: keyID,
            alg: "RS256",
            use: "sig",
            n: Base64URL.encode(primitives.modulus),
            e: Base64URL.encode(primitives.publicExponent)
        )
    }
}

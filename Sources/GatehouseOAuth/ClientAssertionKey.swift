import Crypto
import _CryptoExtras
package import Foundation

/// The private key for `private_key_jwt`, with the `kid` the provider knows it by.
package struct ClientAssertionKey: Sendable, CustomStringConvertible {
    private enum Key: Sendable {
        case rsa(_RSA.Signing.PrivateKey)
        case p256(P256.Signing.PrivateKey)
    }

    private let key: Key
    /// The `kid` header value.
    package let keyID: String

    /// Reads an RSA (RS256) or EC P-256 (ES256) private key from PEM.
    package init(pem: String, keyID: String) throws(ClientAuthenticationError) {
        if let rsa = try? _RSA.Signing.PrivateKey(pemRepresentation: pem) {
            self.key = .rsa(rsa)
        } else if let ec = try? P256.Signing.PrivateKey(pemRepresentation: pem) {
            self.key = .p256(ec)
        } else {
            throw .unreadablePrivateKey
        }
        self.keyID = keyID
    }

    /// `RS256` or `ES256`.
    package var algorithm: String {
        switch self.key {
        case .rsa: "RS256"
        case .p256: "ES256"
        }
    }

    /// Names the algorithm and key id only.
    package var description: String { "ClientAssertionKey(\(self.algorithm), kid: \(self.keyID))" }

    /// Makes a client assertion: `iss` = `sub` = client id, `aud` = token endpoint, random `jti`,
    /// `iat` = now and `exp` = now + `lifetime` (capped at 60 s, since it is replayable until then).
    package func makeAssertion(
        clientID: String,
        audience: String,
        now: Date,
        lifetime: Duration = .seconds(60),
        random: some RandomSource
    ) throws(ClientAuthenticationError) -> String {
        let issuedAt = Int(now.timeIntervalSince1970)
        let seconds = min(max(lifetime.components.seconds, 1), 60)
        let header: [String: String] = ["alg": self.algorithm, "typ": "JWT", "kid": self.keyID]
        let claims: [String: JSONValue] = [
            "iss": .string(clientID),
            "sub": .string(clientID),
            "aud": .string(audience),
            "jti": .string(random.base64URLToken(byteCount: 32)),
            "iat": .integer(Int64(issuedAt)),
            "exp": .integer(Int64(issuedAt) + seconds),
        ]
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        guard let headerJSON = try? encoder.encode(header), let claimsJSON = try? encoder.encode(claims) else {
            throw .signingFailed
        }
        let signingInput = Base64URL.encode(headerJSON) + "." + Base64URL.encode(claimsJSON)
        let data = Array(signingInput.utf8)
        let signature: Data
        do {
            switch self.key {
            case .rsa(let key):
                signature = try key.signature(for: SHA256.hash(data: data), padding: .insecurePKCS1v1_5).rawRepresentation
            case .p256(let key):
                // JWS wants the fixed-size r||s form, not DER (RFC 7518 §3.4).
                signature = try key.signature(for: data).rawRepresentation
            }
        } catch {
            throw .signingFailed
        }
        return signingInput + "." + Base64URL.encode(signature)
    }
}

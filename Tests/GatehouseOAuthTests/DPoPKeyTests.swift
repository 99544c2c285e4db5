import Crypto
import Foundation
import GatehouseOAuth
import GatehouseTestSupport
import Testing

/// RFC 9449 proofs as a resource server or provider would check them, with swift-crypto directly.
@Suite("DPoP keys and proofs")
struct DPoPKeyTests {
    let now = Date(timeIntervalSince1970: 1_700_000_000)

    struct Decoded {
        var header: [String: Any]
        var claims: [String: Any]
        var signingInput: String
        var signature: Data
    }

    func decode(_ proof: String) throws -> Decoded {
        let parts = proof.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        try #require(parts.count == 3)
        func json(_ part: String) throws -> [String: Any] {
            let bytes = try #require(Base64URL.decode(part))
            return try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        }
        return Decoded(header: try json(parts[0]), claims: try json(parts[1]), signingInput: parts[0] + "." + parts[1], signature: Data(try #require(Base64URL.decode(parts[2]))))
    }

    @Test("a proof has the dpop+jwt header with the public key only, and verifies with that key")
    func proofVerifies() throws {
        let key = DPoPKey()
        let proof = try key.proof(method: "POST", url: URL(string: "https://idp.example.com/token")!, now: now, random: SeededRandomSource())
        let decoded = try decode(proof)
        #expect(decoded.header["typ"] as? String == "dpop+jwt")
        #expect(decoded.header["alg"] as? String == "ES256")
        let jwk = try #require(decoded.header["jwk"] as? [String: String])
        #expect(jwk == key.publicJWK)
        #expect(jwk["d"] == nil, "never the private key")
        let point = try #require(Base64URL.decode(jwk["x"]!)) + (try #require(Base64URL.decode(jwk["y"]!)))
        let publicKey = try P256.Signing.PublicKey(rawRepresentation: point)
        let signature = try P256.Signing.ECDSASignature(rawRepresentation: decoded.signature)
        #expect(publicKey.isValidSignature(signature, for: Array(decoded.signingInput.utf8)))
        // Any other key does not verify it.
        #expect(!P256.Signing.PrivateKey().publicKey.isValidSignature(signature, for: Array(decoded.signingInput.utf8)))
    }

    @Test("htm and htu name the request (htu without query or fragment), iat is now, every jti is new, ath and nonce when given")
    func claims() throws {
        let key = DPoPKey()
        let url = URL(string: "https://API.Example.com:8443/orders/7?expand=lines#top")!
        let token = AccessToken("Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU")
        let random = SeededRandomSource()
        let first = try decode(try key.proof(method: "GET", url: url, accessToken: token, nonce: "n-1", now: now, random: random)).claims
        #expect(first["htm"] as? String == "GET")
        #expect(first["htu"] as? String == "https://api.example.com:8443/orders/7")
        #expect((first["iat"] as? NSNumber)?.intValue == 1_700_000_000)
        #expect(first["ath"] as? String == Base64URL.encode(SHA256.hash(data: Array(token.value.utf8))))
        #expect(first["nonce"] as? String == "n-1")
        let second = try decode(try key.proof(method: "POST", url: URL(string: "https://idp.example.com/token")!, now: now, random: random)).claims
        #expect(second["jti"] as? String != first["jti"] as? String)
        #expect(second["ath"] == nil && second["nonce"] == nil, "no ath without a token, no nonce unless asked")
        #expect(DPoPKey.targetURI(URL(string: "http://upstream:9000")!) == "http://upstream:9000/")
        // A server's nonce is echoed whatever it holds: the claims stay valid JSON.
        let odd = "n\"q\\b\u{1}é"
        let echoed = try decode(try key.proof(method: "GET", url: url, nonce: odd, now: now, random: random)).claims
        #expect(echoed["nonce"] as? String == odd)
    }

    @Test("the RFC 7638 thumbprint is SHA-256 over the canonical JWK and survives sealing the key")
    func thumbprint() throws {
        let key = DPoPKey()
        let jwk = key.publicJWK
        // Independently: the required members, sorted, compact.
        let canonical = try JSONSerialization.data(withJSONObject: ["crv": jwk["crv"]!, "kty": jwk["kty"]!, "x": jwk["x"]!, "y": jwk["y"]!], options: [.sortedKeys, .withoutEscapingSlashes])
        #expect(key.thumbprint == Base64URL.encode(SHA256.hash(data: canonical)))
        let restored = try DPoPKey(rawRepresentation: key.rawRepresentation)
        #expect(restored.thumbprint == key.thumbprint)
        #expect(throws: DPoPKeyError.unreadableKey) { try DPoPKey(rawRepresentation: [1, 2, 3]) }
        #expect(DPoPKey().thumbprint != key.thumbprint)
        #expect(!String(describing: key).contains(Base64URL.encode(key.rawRepresentation)), "the description never holds the private key")
    }
}

@Suite("base64url")
struct Base64URLTests {
    @Test("encoding matches Foundation's base64 with the URL alphabet and no padding, for every length up to 70")
    func matchesFoundation() {
        var random = SystemRandomNumberGenerator()
        for length in 0...70 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
            let expected = Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
            #expect(Base64URL.encode(bytes) == expected, "\(length) bytes")
            #expect(Base64URL.decode(Base64URL.encode(bytes)) == bytes)
        }
        #expect(Base64URL.encode([0xFB, 0xFF]) == "-_8")
    }
}

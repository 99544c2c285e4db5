import GatehouseOAuth
import Testing

@Suite("JWKS parsing")
struct JWKSetTests {
    let keys = TestKeys.shared

    @Test("symmetric, encryption and unknown-algorithm keys are left out")
    func filtersKeys() throws {
        let set = try JWKSet(jwks: TestKeys.jwksJSON([
            ["kty": "oct", "kid": "hmac", "k": "c2VjcmV0", "alg": "HS256"],
            TestKeys.rsaJWK(keys.rsa.publicKey, kid: "enc", alg: "RSA-OAEP"),
            TestKeys.rsaJWK(keys.rsa.publicKey, kid: "sig"),
            ["kty": "RSA", "kid": "broken", "n": "!!", "e": "AQAB"],
        ]))
        #expect(set.keys.map(\.keyID) == ["sig"])
    }

    @Test("a key without alg is pinned to the provider's advertised algorithms, or RS256 by default")
    func pinning() throws {
        let jwks = TestKeys.jwksJSON([TestKeys.rsaJWK(keys.rsa.publicKey, kid: "k", alg: nil)])
        #expect(try JWKSet(jwks: jwks, fallbackAlgorithms: ["PS256", "ES256"]).keys[0].algorithms == [.ps256])
        #expect(try JWKSet(jwks: jwks, fallbackAlgorithms: ["HS256", "none"]).keys[0].algorithms == [.rs256])
    }

    @Test("a key set with no usable key, HTML or garbage is rejected with a clear error")
    func errors() {
        #expect(throws: KeySetError.noUsableKeys) { try JWKSet(jwks: TestKeys.jwksJSON([["kty": "oct", "k": "AA"]])) }
        #expect(throws: KeySetError.html) { try JWKSet(jwks: Array("<html>".utf8)) }
        #expect(throws: KeySetError.notJSON) { try JWKSet(jwks: Array("keys".utf8)) }
    }
}

import Foundation
import GatehouseOAuth
import GatehouseTestSupport
import JWTKit
import Testing

/// Cross-checks against jwt-kit, an independent JOSE implementation (the development provider's).
@Suite("Interoperability with jwt-kit")
struct JWTKitInteropTests {
    struct IDClaims: JWTPayload {
        var iss: String
        var sub: String
        var aud: String
        var exp: Int
        var iat: Int
        var nonce: String
        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    struct AssertionClaims: JWTPayload {
        var iss: String
        var sub: String
        var aud: String
        var jti: String
        var exp: Int
        var iat: Int
        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    let now = Date(timeIntervalSince1970: 1_700_000_000)

    @Test("an ID token signed by jwt-kit with RS256 validates")
    func jwtKitSignedIDToken() async throws {
        let keys = JWTKeyCollection()
        await keys.add(rsa: try Insecure.RSA.PrivateKey(pem: TestKeys.shared.rsa.pemRepresentation), digestAlgorithm: .sha256, kid: "rsa-1")
        let iat = Int(now.timeIntervalSince1970)
        let token = try await keys.sign(IDClaims(iss: "https://idp.example.com", sub: "u", aud: "spa-bff", exp: iat + 60, iat: iat, nonce: "n"), kid: "rsa-1")
        let validator = IDTokenValidator(issuer: "https://idp.example.com", clientID: "spa-bff")
        let claims = try validator.validate(IDToken(token), keys: TestKeys.shared.keySet(), purpose: .login(nonce: "n"), now: now)
        #expect(claims.subject == "u")
    }

    @Test("private_key_jwt assertions verify with jwt-kit for RS256 and ES256")
    func assertionsVerifyWithJWTKit() async throws {
        let endpoint = URL(string: "https://idp.example.com/token")!
        let verifier = JWTKeyCollection()
        await verifier.add(rsa: try Insecure.RSA.PublicKey(pem: TestKeys.shared.rsa.publicKey.pemRepresentation), digestAlgorithm: .sha256, kid: "rsa-key")
        await verifier.add(ecdsa: try ES256PublicKey(pem: TestKeys.shared.ec.publicKey.pemRepresentation), kid: "ec-key")
        for (pem, kid) in [(TestKeys.shared.rsa.pemRepresentation, "rsa-key"), (TestKeys.shared.ec.pemRepresentation, "ec-key")] {
            let key = try ClientAssertionKey(pem: pem, keyID: kid)
            let assertion = try key.makeAssertion(clientID: "spa-bff", audience: endpoint.absoluteString, now: now, random: SystemRandomSource())
            let claims = try await verifier.verify(assertion, as: AssertionClaims.self)
            #expect(claims.iss == "spa-bff")
            #expect(claims.sub == "spa-bff")
            #expect(claims.aud == endpoint.absoluteString)
            #expect(claims.exp - claims.iat <= 60)
        }
    }
}

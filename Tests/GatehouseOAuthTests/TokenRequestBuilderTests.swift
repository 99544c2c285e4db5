import Crypto
import Foundation
import GatehouseOAuth
import GatehouseTestSupport
import Testing
import _CryptoExtras

@Suite("Token requests and client authentication")
struct TokenRequestBuilderTests {
    let tokenEndpoint = URL(string: "https://idp.example.com/token")!
    let now = Date(timeIntervalSince1970: 1_700_000_000)
    let awkwardSecret = ClientSecret("a:b+c%d e/é")

    func builder(_ authentication: ClientAuthentication) -> TokenRequestBuilder {
        TokenRequestBuilder(
            clientID: "spa:bff",
            authentication: authentication,
            tokenEndpoint: tokenEndpoint,
            revocationEndpoint: URL(string: "https://idp.example.com/revoke")!,
            random: SeededRandomSource()
        )
    }

    @Test("client_secret_basic form-encodes the id and the secret before base64 (RFC 6749 §2.3.1)")
    func clientSecretBasic() throws {
        let request = try builder(.clientSecretBasic(awkwardSecret))
            .authorizationCode(AuthorizationCode("the-code"), verifier: CodeVerifier("v".padding(toLength: 43, withPad: "v", startingAt: 0)), redirectURI: "https://app.example.com/bff/callback", now: now)
        let header = try #require(request.header("Authorization"))
        #expect(header.hasPrefix("Basic "))
        let decoded = String(decoding: Data(base64Encoded: String(header.dropFirst(6)))!, as: UTF8.self)
        #expect(decoded == "spa%3Abff:a%3Ab%2Bc%25d+e%2F%C3%A9")
        let form = request.formParameters
        #expect(form["client_secret"] == nil)
        #expect(form["grant_type"] == "authorization_code")
        #expect(form["code"] == "the-code")
        #expect(form["redirect_uri"] == "https://app.example.com/bff/callback")
        #expect(form["code_verifier"]?.count == 43)
        #expect(request.header("Content-Type") == "application/x-www-form-urlencoded")
    }

    @Test("client_secret_post sends id and secret in the strictly form-encoded body")
    func clientSecretPost() throws {
        let request = try builder(.clientSecretPost(awkwardSecret)).refresh(RefreshToken("rt+1/2"), now: now)
        #expect(request.header("Authorization") == nil)
        let body = String(decoding: request.body, as: UTF8.self)
        #expect(body == "grant_type=refresh_token&refresh_token=rt%2B1%2F2&client_id=spa%3Abff&client_secret=a%3Ab%2Bc%25d+e%2F%C3%A9")
        #expect(request.formParameters["client_secret"] == "a:b+c%d e/é")
    }

    @Test("private_key_jwt sends an RS256 assertion that verifies with the public key and has the RFC 7523 claims")
    func privateKeyJWTRS256() throws {
        let rsa = TestKeys.shared.rsa
        let key = try ClientAssertionKey(pem: rsa.pemRepresentation, keyID: "key-1")
        let request = try builder(.privateKeyJWT(key)).clientCredentials(scopes: ["api"], now: now)
        let form = request.formParameters
        #expect(form["client_assertion_type"] == "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
        #expect(form["client_id"] == "spa:bff")
        #expect(form["grant_type"] == "client_credentials")
        #expect(form["scope"] == "api")
        let assertion = try #require(form["client_assertion"])
        let parts = assertion.split(separator: ".").map(String.init)
        let signature = try #require(Base64URL.decode(parts[2]))
        #expect(rsa.publicKey.isValidSignature(.init(rawRepresentation: signature), for: SHA256.hash(data: Array((parts[0] + "." + parts[1]).utf8)), padding: .insecurePKCS1v1_5))
        let header = TestKeys.decodePart(assertion, 0)
        #expect(header["alg"] as? String == "RS256")
        #expect(header["kid"] as? String == "key-1")
        let claims = TestKeys.decodePart(assertion, 1)
        #expect(claims["iss"] as? String == "spa:bff")
        #expect(claims["sub"] as? String == "spa:bff")
        #expect(claims["aud"] as? String == tokenEndpoint.absoluteString)
        #expect((claims["jti"] as? String)?.count == 43)
        let iat = try #require(claims["iat"] as? Int)
        let exp = try #require(claims["exp"] as? Int)
        #expect(iat == Int(now.timeIntervalSince1970))
        #expect(exp > iat && exp - iat <= 60)
    }

    @Test("private_key_jwt with an EC key signs ES256 in the raw r||s form")
    func privateKeyJWTES256() throws {
        let ec = TestKeys.shared.ec
        let key = try ClientAssertionKey(pem: ec.pemRepresentation, keyID: "ec-key")
        let request = try builder(.privateKeyJWT(key)).refresh(RefreshToken("rt"), now: now)
        let assertion = try #require(request.formParameters["client_assertion"])
        let parts = assertion.split(separator: ".").map(String.init)
        let signature = try P256.Signing.ECDSASignature(rawRepresentation: try #require(Base64URL.decode(parts[2])))
        #expect(ec.publicKey.isValidSignature(signature, for: Array((parts[0] + "." + parts[1]).utf8)))
        #expect(TestKeys.decodePart(assertion, 0)["alg"] as? String == "ES256")
    }

    @Test("each assertion has a fresh jti")
    func freshJTI() throws {
        let key = try ClientAssertionKey(pem: TestKeys.shared.ec.pemRepresentation, keyID: "k")
        let builder = builder(.privateKeyJWT(key))
        let first = try builder.refresh(RefreshToken("rt"), now: now).formParameters["client_assertion"]!
        let second = try builder.refresh(RefreshToken("rt"), now: now).formParameters["client_assertion"]!
        #expect(TestKeys.decodePart(first, 1)["jti"] as? String != TestKeys.decodePart(second, 1)["jti"] as? String)
    }

    @Test("a PEM that is not a usable private key is refused")
    func badPEM() {
        #expect(throws: ClientAuthenticationError.unreadablePrivateKey) {
            try ClientAssertionKey(pem: "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----", keyID: "k")
        }
    }

    @Test("revocation posts the refresh token with its type hint, and is absent without an endpoint")
    func revocation() throws {
        let request = try #require(try builder(.clientSecretBasic(ClientSecret("s"))).revocation(of: RefreshToken("rt"), now: now))
        #expect(request.url.absoluteString == "https://idp.example.com/revoke")
        #expect(request.formParameters["token"] == "rt")
        #expect(request.formParameters["token_type_hint"] == "refresh_token")
        let none = TokenRequestBuilder(clientID: "c", authentication: .clientSecretPost(ClientSecret("s")), tokenEndpoint: tokenEndpoint)
        #expect(try none.revocation(of: RefreshToken("rt"), now: now) == nil)
    }

    @Test("a request's description shows neither credentials nor tokens")
    func descriptionHidesSecrets() throws {
        let request = try builder(.clientSecretPost(ClientSecret("topsecret"))).refresh(RefreshToken("refresh-me"), now: now)
        #expect(request.description == "POST https://idp.example.com/token")
    }
}

import Foundation
import Crypto
import DevOpenIDProvider
import JWTKit
import Testing
import _CryptoExtras

@Suite("Client authentication and client credentials")
struct ClientAuthenticationTests {
    static let jwtClientID = "jwt-client"

    static func jwtClient(jwk: String) -> DevOpenIDProvider.Client {
        .init(id: jwtClientID, redirectURIs: [ProviderHarness.redirectURI], publicJWK: jwk)
    }

    @Test("client_secret_basic with a secret holding ':', '+', '%' and spaces is accepted when form-encoded before base64")
    func basicFormEncoded() async throws {
        try await ProviderHarness.run { harness in
            let response = try await harness.postForm("/token", [("grant_type", "client_credentials")], headers: [ProviderHarness.basicTestClient])
            #expect(response.status == 200)
            #expect(response.string("access_token") != nil)
        }
    }

    @Test("client_secret_basic without the form-encoding step is refused")
    func basicRawRefused() async throws {
        try await ProviderHarness.run { harness in
            let raw = "\(ProviderHarness.clientID):\(ProviderHarness.clientSecret)"
            let header = ("Authorization", "Basic " + Data(raw.utf8).base64EncodedString())
            let response = try await harness.postForm("/token", [("grant_type", "client_credentials")], headers: [header])
            #expect(response.status == 401)
            #expect(response.string("error") == "invalid_client")
        }
    }

    @Test("client_secret_post is accepted")
    func post() async throws {
        try await ProviderHarness.run { harness in
            let response = try await harness.postForm(
                "/token",
                [("grant_type", "client_credentials"), ("client_id", ProviderHarness.clientID), ("client_secret", ProviderHarness.clientSecret)]
            )
            #expect(response.status == 200)
        }
    }

    @Test("a wrong secret gets 401 invalid_client, with a Basic challenge when Basic was used")
    func wrongSecret() async throws {
        try await ProviderHarness.run { harness in
            let basic = try await harness.postForm(
                "/token",
                [("grant_type", "client_credentials")],
                headers: [ProviderHarness.basicAuthorization(id: ProviderHarness.clientID, secret: "wrong")]
            )
            #expect(basic.status == 401)
            #expect(basic.string("error") == "invalid_client")
            #expect(basic.headers.first(name: "www-authenticate")?.hasPrefix("Basic") == true)

            let post = try await harness.postForm(
                "/token",
                [("grant_type", "client_credentials"), ("client_id", ProviderHarness.clientID), ("client_secret", "wrong")]
            )
            #expect(post.status == 401)
            #expect(post.string("error") == "invalid_client")
        }
    }

    @Test("client_credentials gives an access token without ID token or refresh token")
    func clientCredentials() async throws {
        try await ProviderHarness.run { harness in
            let response = try await harness.postForm(
                "/token",
                [("grant_type", "client_credentials"), ("scope", "api")],
                headers: [ProviderHarness.basicTestClient]
            )
            #expect(response.status == 200)
            #expect(response.string("access_token") != nil)
            #expect(response.number("expires_in") == 300)
            #expect(response.string("id_token") == nil)
            #expect(response.string("refresh_token") == nil)
            #expect(await harness.provider.currentGrantCounts().clientCredentials == 1)
        }
    }

    @Test("an unknown grant type is unsupported_grant_type")
    func unsupportedGrant() async throws {
        try await ProviderHarness.run { harness in
            let response = try await harness.postForm("/token", [("grant_type", "password")], headers: [ProviderHarness.basicTestClient])
            #expect(response.status == 400)
            #expect(response.string("error") == "unsupported_grant_type")
        }
    }

    @Test("private_key_jwt with an ES256 key is accepted, and the same jti cannot be replayed")
    func privateKeyJWTES256() async throws {
        let key = ES256PrivateKey()
        let parameters = try #require(key.publicKey.parameters)
        let jwk = #"{"kty":"EC","crv":"P-256","kid":"es-1","x":"\#(parameters.x)","y":"\#(parameters.y)"}"#
        try await ProviderHarness.run(clients: [Self.jwtClient(jwk: jwk)]) { harness in
            let keys = JWTKeyCollection()
            _ = await keys.add(ecdsa: key, kid: "es-1")
            let assertion = try await keys.sign(TestClientAssertion(clientID: Self.jwtClientID, audience: harness.issuer + "/token"), kid: "es-1")
            let form = [
                ("grant_type", "client_credentials"),
                ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
                ("client_assertion", assertion),
            ]
            let response = try await harness.postForm("/token", form)
            #expect(response.status == 200)
            let replay = try await harness.postForm("/token", form)
            #expect(replay.status == 401)
            #expect(replay.string("error") == "invalid_client")
        }
    }

    @Test("private_key_jwt with an RS256 key is accepted with the issuer as audience")
    func privateKeyJWTRS256() async throws {
        let privateKey = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let primitives = try privateKey.publicKey.getKeyPrimitives()
        let jwk = #"{"kty":"RSA","kid":"rs-1","n":"\#(TestPKCE.base64URL(primitives.modulus))","e":"\#(TestPKCE.base64URL(primitives.publicExponent))"}"#
        try await ProviderHarness.run(clients: [Self.jwtClient(jwk: jwk)]) { harness in
            let keys = JWTKeyCollection()
            _ = await keys.add(rsa: try JWTKit.Insecure.RSA.PrivateKey(backing: privateKey), digestAlgorithm: .sha256, kid: "rs-1")
            let assertion = try await keys.sign(TestClientAssertion(clientID: Self.jwtClientID, audience: harness.issuer), kid: "rs-1")
            let response = try await harness.postForm(
                "/token",
                [
                    ("grant_type", "client_credentials"), ("client_id", Self.jwtClientID),
                    ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
                    ("client_assertion", assertion),
                ]
            )
            #expect(response.status == 200)
        }
    }

    @Test("a client assertion signed by another key is refused with invalid_client")
    func privateKeyJWTWrongKey() async throws {
        let registered = ES256PrivateKey()
        let parameters = try #require(registered.publicKey.parameters)
        let jwk = #"{"kty":"EC","crv":"P-256","x":"\#(parameters.x)","y":"\#(parameters.y)"}"#
        try await ProviderHarness.run(clients: [Self.jwtClient(jwk: jwk)]) { harness in
            let keys = JWTKeyCollection()
            _ = await keys.add(ecdsa: ES256PrivateKey(), kid: "other")
            let assertion = try await keys.sign(TestClientAssertion(clientID: Self.jwtClientID, audience: harness.issuer + "/token"), kid: "other")
            let response = try await harness.postForm(
                "/token",
                [
                    ("grant_type", "client_credentials"),
                    ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
                    ("client_assertion", assertion),
                ]
            )
            #expect(response.status == 401)
            #expect(response.string("error") == "invalid_client")
        }
    }
}

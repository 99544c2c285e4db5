import Crypto
import DevOpenIDProvider
import Foundation
import GatehouseOAuth
@testable import GatehouseServer
import GatehouseTestSupport
import Testing
import _CryptoExtras

/// `client_auth: private_key_jwt` end to end (#16): the provider knows the client only by its
/// public key (no secret exists anywhere), so every call it accepts was authenticated by an
/// assertion signed with the key from `private_key_file`.
@Suite("private_key_jwt in every call to the provider")
struct PrivateKeyJWTTests {
    /// A client key as Gatehouse reads it (PEM) and as the provider registers it (public JWK).
    struct ClientKey: Sendable {
        var algorithm: String
        var pem: String
        var publicJWK: String

        static func rs256() throws -> ClientKey {
            let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
            let primitives = try key.publicKey.getKeyPrimitives()
            return ClientKey(
                algorithm: "RS256", pem: key.pemRepresentation,
                publicJWK: #"{"kty":"RSA","kid":"e2e-key","alg":"RS256","n":"\#(Base64URL.encode(primitives.modulus))","e":"\#(Base64URL.encode(primitives.publicExponent))"}"#
            )
        }

        static func es256() -> ClientKey {
            let key = P256.Signing.PrivateKey()
            let raw = key.publicKey.rawRepresentation // x || y
            return ClientKey(
                algorithm: "ES256", pem: key.pemRepresentation,
                publicJWK: #"{"kty":"EC","crv":"P-256","kid":"e2e-key","alg":"ES256","x":"\#(Base64URL.encode(raw.prefix(32)))","y":"\#(Base64URL.encode(raw.suffix(32)))"}"#
            )
        }
    }

    /// Runs `body` with `pem` in a key file, Gatehouse on `private_key_jwt` with it, and the
    /// provider knowing the client only by `publicJWK` (its secret removed).
    static func withKeyedClient(
        pem: String, publicJWK: String, routes: (@Sendable (URL) -> [Route])? = nil,
        provider tune: @escaping @Sendable (inout DevOpenIDProvider.Configuration) -> Void = { _ in },
        _ body: @Sendable (GatehouseHarness) async throws -> Void
    ) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-pkjwt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let keyFile = directory.appendingPathComponent("client-key.pem").path
        try pem.write(toFile: keyFile, atomically: true, encoding: .utf8)
        try await GatehouseHarness.run(
            configure: { configuration in
                configuration.oidc.clientAuthentication = .privateKeyJWT
                configuration.oidc.clientSecret = nil
                configuration.oidc.privateKeyFile = keyFile
                configuration.oidc.privateKeyID = "e2e-key"
            },
            routes: routes,
            provider: { provider in
                tune(&provider)
                provider.clients = provider.clients.map { client in
                    var keyed = client
                    keyed.secret = nil
                    keyed.publicJWK = publicJWK
                    return keyed
                }
            },
            body
        )
    }

    static func routes(_ upstream: URL) -> [Route] {
        let any = URL(string: upstream.absoluteString + "any")!
        return [
            Route(path: "/api/", upstream: upstream),
            Route(path: "/machine/", upstream: any, token: .client, stripPrefix: true),
            Route(path: "/orders/", upstream: any, stripPrefix: true, audience: GatehouseHarness.exchangeAudience),
        ]
    }

    @Test("PAR, code exchange, refresh, client credentials, token exchange and revocation, with RS256 and with ES256", arguments: ["RS256", "ES256"])
    func everyCall(algorithm: String) async throws {
        let key = algorithm == "RS256" ? try ClientKey.rs256() : ClientKey.es256()
        try await Self.withKeyedClient(pem: key.pem, publicJWK: key.publicJWK, routes: Self.routes, provider: { provider in
            provider.pushedAuthorization = .offered
            // Access tokens inside refresh_before_expiry (60 s): every user call refreshes first.
            provider.lifetimes.accessToken = .seconds(30)
        }) { h in
            try await h.login()
            #expect(try await h.user().status == 200, "\(algorithm): PAR and the code exchange")
            let afterLogin = await h.provider.currentGrantCounts()
            #expect(afterLogin.pushedAuthorization == 1)
            #expect(afterLogin.authorizationCode == 1)

            let api = try await h.browser.get(h.gatehouse + "/api/echo", headers: [("X-CSRF", "1")])
            #expect(api.status == 200, "\(algorithm): refresh: \(api.body)")
            #expect(await h.provider.currentGrantCounts().refreshToken >= 1)

            let machine = try await h.browser.get(h.gatehouse + "/machine/x", headers: [("X-CSRF", "1")])
            #expect(machine.status == 200, "\(algorithm): client credentials: \(machine.body)")
            #expect(await h.provider.currentGrantCounts().clientCredentials == 1)

            let orders = try await h.browser.get(h.gatehouse + "/orders/x", headers: [("X-CSRF", "1")])
            #expect(orders.status == 200, "\(algorithm): token exchange: \(orders.body)")
            #expect(await h.provider.currentGrantCounts().tokenExchange == 1)

            let logout = try await h.browser.post(h.gatehouse + "/bff/logout", form: [], headers: [("X-CSRF", "1")])
            #expect(logout.status == 200)
            #expect(await h.provider.currentGrantCounts().revocation >= 1, "\(algorithm): revocation at logout")
        }
    }

    @Test("without the key the provider knows, the same setup fails: the assertions are what authenticates")
    func wrongKeyIsRefused() async throws {
        let registered = ClientKey.es256()
        let other = ClientKey.es256()
        try await Self.withKeyedClient(pem: other.pem, publicJWK: registered.publicJWK) { h in
            let (page, _) = try await h.startLogin()
            let toCallback = try await h.submitLogin(page)
            let callback = try await h.browser.get(try #require(toCallback.location))
            #expect(callback.status == 400, "the code exchange is refused with the wrong key")
            #expect(callback.body.contains("refused the code"))
            #expect(try await h.user().status == 401)
        }
    }
}

import AsyncHTTPClient
import DevOpenIDProvider
import Foundation
import GatehouseOAuth
import GatehouseServer
import GatehouseSessions
import GatehouseTestSupport
import Testing

/// `oidc.par` (RFC 9126) end to end: Gatehouse, the development provider and real Redis over HTTP.
@Suite("Login with pushed authorization requests")
struct PushedAuthorizationLoginTests {
    /// The query parameter names of the provider URL `/bff/login` redirects to.
    private static func queryNames(_ location: String) -> [String] {
        URLComponents(string: location)?.queryItems?.map(\.name) ?? []
    }

    @Test("par: auto with a provider that offers PAR pushes: the browser's URL holds only client_id and request_uri, and the login works")
    func autoPushes() async throws {
        try await GatehouseHarness.run(provider: { $0.pushedAuthorization = .offered }) { h in
            let login = try await h.browser.get(h.gatehouse + "/bff/login?returnUrl=%2Finbox")
            #expect(login.status == 302)
            let location = try #require(login.location)
            #expect(location.hasPrefix(h.issuer + "/authorize?"))
            #expect(Self.queryNames(location) == ["client_id", "request_uri"], "nothing of the request travels through the browser: \(location)")
            #expect(URLComponents(string: location)?.queryItems?.first?.value == h.configuration.oidc.clientID)
            #expect(await h.provider.currentGrantCounts().pushedAuthorization == 1)

            let page = try await h.browser.get(location)
            let toCallback = try await h.submitLogin(page)
            let back = try await h.browser.get(try #require(toCallback.location))
            #expect(back.status == 302)
            #expect(back.location == "/inbox", "returnUrl survived the push")
            #expect(try await h.user().status == 200)
        }
    }

    @Test("par: off never pushes, even where the provider offers it")
    func offNeverPushes() async throws {
        try await GatehouseHarness.run(configure: { $0.oidc.pushedAuthorization = .off }, provider: { $0.pushedAuthorization = .offered }) { h in
            let login = try await h.browser.get(h.gatehouse + "/bff/login")
            let names = Self.queryNames(try #require(login.location))
            #expect(names.contains("code_challenge") && names.contains("state") && !names.contains("request_uri"))
            #expect(await h.provider.currentGrantCounts().pushedAuthorization == 0)
            try await h.login()
            #expect(try await h.user().status == 200)
        }
    }

    @Test("a provider that requires PAR gets pushed requests with par: auto and par: required")
    func providerRequiresPAR() async throws {
        for mode in [PushedAuthorizationMode.auto, .required] {
            try await GatehouseHarness.run(configure: { $0.oidc.pushedAuthorization = mode }, provider: { $0.pushedAuthorization = .required }) { h in
                try await h.login()
                #expect(try await h.user().status == 200, "\(mode)")
                #expect(await h.provider.currentGrantCounts().pushedAuthorization == 1, "\(mode)")
            }
        }
    }

    @Test("a request_uri that expired before the browser got there ends in a clear login error and no session")
    func expiredRequestURI() async throws {
        try await GatehouseHarness.run(provider: {
            $0.pushedAuthorization = .offered
            $0.lifetimes.pushedRequest = .seconds(1)
        }) { h in
            let login = try await h.browser.get(h.gatehouse + "/bff/login")
            try await Task.sleep(for: .milliseconds(1500))
            let late = try await h.browser.get(try #require(login.location))
            let callback = try #require(late.location, "the provider sends the browser back: \(late.status)")
            #expect(callback.contains("error=invalid_request_uri"))
            let answer = try await h.browser.get(callback, headers: [("Accept", "text/html")])
            #expect(answer.status == 400)
            #expect(answer.body.contains("expired at the identity provider"), "\(answer.body)")
            #expect(!answer.setCookies.contains { $0.hasPrefix(h.configuration.session.cookieName + "=") })
            #expect(try await h.user().status == 401)
        }
    }

    @Test("a push the provider refuses is 502 naming the OAuth error, with no secret, no login state and no cookie")
    func refusedPush() async throws {
        let wrongSecret = "wrong-secret-4fd1c0"
        try await GatehouseHarness.run(configure: { $0.oidc.clientSecret = ConfigSecret(wrongSecret) }, provider: { $0.pushedAuthorization = .offered }) { h in
            let keysBefore = try await h.redisClient.send([Array("DBSIZE".utf8)]).integer ?? -1
            let login = try await h.browser.get(h.gatehouse + "/bff/login")
            #expect(login.status == 502)
            #expect(login.body.contains("provider_error") && login.body.contains("invalid_client"), "\(login.body)")
            #expect(!login.body.contains(wrongSecret))
            #expect(login.location == nil)
            #expect(login.setCookies.isEmpty, "no login cookie for a login that never started")
            #expect(try await h.redisClient.send([Array("DBSIZE".utf8)]).integer == keysBefore, "no login state was stored")
        }
    }

    @Test("par: required against a provider without PAR: gatehouse serve stops at start with a message naming the fix")
    func requiredWithoutEndpointStopsServe() async throws {
        try await GatehouseHarness.run { h in
            // The provider as Gatehouse loads it: its first discovery document does not fit.
            var settings = OIDCProvider.Settings(issuer: h.issuer, clientID: GatehouseHarness.clientID, authentication: .clientSecretBasic(ClientSecret(GatehouseHarness.clientSecret)))
            settings.pushedAuthorization = .required
            let provider = OIDCProvider(settings: settings, transport: HTTPClientTransport(client: .shared), logger: .init(label: "test"))
            // Bounded: a provider that does not stop would otherwise retry forever.
            let outcome = try await withThrowingTaskGroup(of: String.self) { group in
                group.addTask {
                    do {
                        try await provider.run()
                        return "run returned"
                    } catch let mismatch as ProviderMismatch {
                        return mismatch.reason
                    }
                }
                group.addTask {
                    try await Task.sleep(for: .seconds(30))
                    return "still running after 30 s"
                }
                defer { group.cancelAll() }
                return try await group.next() ?? ""
            }
            #expect(outcome.contains("pushed_authorization_request_endpoint"), "\(outcome)")

            // And the real binary: exit status 1 and the reason on its output, within a bounded wait.
            let output = try await ServeOnce.run(yaml: """
                listen: 127.0.0.1:\(try freeLoopbackPort())
                admin_listen: 127.0.0.1:\(try freeLoopbackPort())
                public_url: http://127.0.0.1:1
                oidc:
                  issuer: \(h.issuer)
                  client_id: \(GatehouseHarness.clientID)
                  client_secret: "\(GatehouseHarness.clientSecret)"
                  par: required
                session:
                  store: memory
                  encryption_keys: ["\(SessionCipherKey.generateBase64())"]
                routes: []
                """)
            #expect(output.status != 0, "serve exits instead of running without a working login")
            #expect(output.text.contains("pushed_authorization_request_endpoint"), "\(output.text)")
            #expect(output.text.contains("oidc.par"))
            #expect(!output.text.contains(GatehouseHarness.clientSecret))
        }
    }
}

import DevOpenIDProvider
import Foundation
import JWTKit
import Testing

/// RFC 9126 at the development provider: `/par` takes a client-authenticated request and gives a
/// single-use `request_uri`, which is all the browser then carries to `/authorize`.
@Suite("Pushed authorization requests (PAR)")
struct PushedAuthorizationTests {
    private static func request(_ pkce: TestPKCE, state: String = "par-state") -> [(String, String)] {
        [
            ("response_type", "code"), ("client_id", ProviderHarness.clientID), ("redirect_uri", ProviderHarness.redirectURI),
            ("scope", "openid profile"), ("state", state), ("nonce", "par-nonce"),
            ("code_challenge", pkce.challenge), ("code_challenge_method", "S256"),
        ]
    }

    private static func authorizeURL(_ requestURI: String) -> String {
        "/authorize?" + ProviderHarness.formEncode([("client_id", ProviderHarness.clientID), ("request_uri", requestURI)])
    }

    @Test("discovery names the endpoint when offered, and requires it only when required")
    func discovery() async throws {
        for support in DevOpenIDProvider.PushedAuthorizationSupport.allCases {
            try await ProviderHarness.run(configure: { $0.pushedAuthorization = support }) { harness in
                let document = try await harness.get("/.well-known/openid-configuration")
                let endpoint = document.string("pushed_authorization_request_endpoint")
                #expect(endpoint == (support == .off ? nil : harness.issuer + "/par"), "\(support)")
                #expect((document.json["require_pushed_authorization_requests"] as? Bool) == (support == .required ? true : nil), "\(support)")
                let push = try await harness.postForm("/par", Self.request(TestPKCE()), headers: [ProviderHarness.basicTestClient])
                #expect((push.status == 404) == (support == .off), "\(support): /par answered \(push.status)")
            }
        }
    }

    @Test("a pushed request logs in with only client_id and request_uri in the browser's URL, and its code redeems")
    func pushThenAuthorize() async throws {
        try await ProviderHarness.run(configure: { $0.pushedAuthorization = .offered }) { harness in
            let pkce = TestPKCE()
            let push = try await harness.postForm("/par", Self.request(pkce), headers: [ProviderHarness.basicTestClient])
            #expect(push.status == 201)
            #expect(push.headers.first(name: "cache-control") == "no-store")
            let requestURI = try #require(push.string("request_uri"))
            #expect(requestURI.hasPrefix("urn:ietf:params:oauth:request_uri:"))
            #expect(push.number("expires_in") == 60)

            let page = try await harness.get(Self.authorizeURL(requestURI))
            let requestID = try #require(ProviderHarness.requestID(in: page), "the login page for the pushed request: \(page.status)")
            let login = try await harness.postForm("/authorize", [("request_id", requestID), ("username", "demo"), ("password", "demo"), ("action", "login")])
            #expect(login.status == 302)
            #expect(login.locationQuery["state"] == "par-state", "the state came from the pushed request")
            let code = try #require(login.locationQuery["code"])
            let tokens = try await harness.redeem(code, verifier: pkce.verifier)
            #expect(tokens.status == 200, "the pushed code_challenge is the one checked")

            // Single use: the same request_uri again is unknown, shown on a page, never redirected.
            let again = try await harness.get(Self.authorizeURL(requestURI))
            #expect(again.status == 400)
            #expect(again.headers.first(name: "location") == nil)
            #expect(await harness.provider.currentGrantCounts().pushedAuthorization == 1)
        }
    }

    @Test("parameters in the browser's URL beside request_uri are ignored: the pushed ones count")
    func browserParametersIgnored() async throws {
        try await ProviderHarness.run(configure: { $0.pushedAuthorization = .offered }) { harness in
            let push = try await harness.postForm("/par", Self.request(TestPKCE()), headers: [ProviderHarness.basicTestClient])
            let requestURI = try #require(push.string("request_uri"))
            let tampered = Self.authorizeURL(requestURI) + "&" + ProviderHarness.formEncode([("state", "swapped"), ("redirect_uri", "http://evil.example/cb")])
            let page = try await harness.get(tampered)
            let requestID = try #require(ProviderHarness.requestID(in: page))
            let login = try await harness.postForm("/authorize", [("request_id", requestID), ("username", "demo"), ("password", "demo"), ("action", "login")])
            #expect(login.headers.first(name: "location")?.hasPrefix(ProviderHarness.redirectURI) == true)
            #expect(login.locationQuery["state"] == "par-state")
        }
    }

    @Test("an expired request_uri goes back to the client as invalid_request_uri; another client's is an error page")
    func expiredAndForeign() async throws {
        let other = DevOpenIDProvider.Client(id: "other-client", secret: "other-secret", redirectURIs: ["http://127.0.0.1:2/cb"], postLogoutRedirectURIs: [])
        try await ProviderHarness.run(clients: [ProviderHarness.testClient, other], configure: {
            $0.pushedAuthorization = .offered
            $0.lifetimes.pushedRequest = .seconds(1)
        }) { harness in
            let push = try await harness.postForm("/par", Self.request(TestPKCE()), headers: [ProviderHarness.basicTestClient])
            #expect(push.number("expires_in") == 1)
            let requestURI = try #require(push.string("request_uri"))
            let foreign = try await harness.get("/authorize?" + ProviderHarness.formEncode([("client_id", "other-client"), ("request_uri", requestURI)]))
            #expect(foreign.status == 400)
            #expect(foreign.headers.first(name: "location") == nil)

            try await Task.sleep(for: .milliseconds(1500))
            let late = try await harness.get(Self.authorizeURL(requestURI))
            #expect(late.status == 302)
            #expect(late.headers.first(name: "location")?.hasPrefix(ProviderHarness.redirectURI) == true)
            #expect(late.locationQuery["error"] == "invalid_request_uri")
            #expect(late.locationQuery["state"] == "par-state")
        }
    }

    @Test("/par needs client authentication, refuses a request_uri inside, and checks the request like /authorize")
    func pushIsChecked() async throws {
        try await ProviderHarness.run(configure: { $0.pushedAuthorization = .offered }) { harness in
            let anonymous = try await harness.postForm("/par", Self.request(TestPKCE()))
            #expect(anonymous.status == 401)
            #expect(anonymous.string("error") == "invalid_client")
            let wrong = try await harness.postForm("/par", Self.request(TestPKCE()), headers: [ProviderHarness.basicAuthorization(id: ProviderHarness.clientID, secret: "wrong")])
            #expect(wrong.status == 401)

            let nested = try await harness.postForm("/par", Self.request(TestPKCE()) + [("request_uri", "urn:x")], headers: [ProviderHarness.basicTestClient])
            #expect(nested.status == 400)
            #expect(nested.string("error") == "invalid_request")

            let noPKCE = try await harness.postForm("/par", Self.request(TestPKCE()).filter { !$0.0.hasPrefix("code_challenge") }, headers: [ProviderHarness.basicTestClient])
            #expect(noPKCE.status == 400)
            #expect(noPKCE.string("error") == "invalid_request")
            let unregistered = try await harness.postForm(
                "/par", Self.request(TestPKCE()).map { $0.0 == "redirect_uri" ? ($0.0, "http://evil.example/cb") : $0 }, headers: [ProviderHarness.basicTestClient]
            )
            #expect(unregistered.status == 400, "an unregistered redirect_uri is refused at the push, not redirected to")
            #expect(await harness.provider.currentGrantCounts().pushedAuthorization == 5)
        }
    }

    @Test("with PAR required, a request in the browser's URL goes back as invalid_request; a pushed one works")
    func required() async throws {
        try await ProviderHarness.run(configure: { $0.pushedAuthorization = .required }) { harness in
            let plain = try await harness.authorizationPage(pkce: TestPKCE())
            #expect(plain.status == 302)
            #expect(plain.locationQuery["error"] == "invalid_request")
            #expect(plain.locationQuery["state"] == "state-123")

            let push = try await harness.postForm("/par", Self.request(TestPKCE()), headers: [ProviderHarness.basicTestClient])
            let page = try await harness.get(Self.authorizeURL(try #require(push.string("request_uri"))))
            #expect(ProviderHarness.requestID(in: page) != nil)
        }
    }

    @Test("client_secret_post and private_key_jwt (ES256, audience the PAR endpoint) authenticate a push too")
    func otherClientAuthentication() async throws {
        let key = ES256PrivateKey()
        let point = try #require(key.publicKey.parameters)
        let keyed = DevOpenIDProvider.Client(
            id: "keyed-client", redirectURIs: [ProviderHarness.redirectURI],
            publicJWK: #"{"kty":"EC","crv":"P-256","kid":"es-1","x":"\#(point.x)","y":"\#(point.y)"}"#
        )
        try await ProviderHarness.run(clients: [ProviderHarness.testClient, keyed], configure: { $0.pushedAuthorization = .offered }) { harness in
            let post = try await harness.postForm("/par", Self.request(TestPKCE()) + [("client_secret", ProviderHarness.clientSecret)])
            #expect(post.status == 201)
            let keys = JWTKeyCollection()
            _ = await keys.add(ecdsa: key, kid: "es-1")
            let assertion = try await keys.sign(TestClientAssertion(clientID: "keyed-client", audience: harness.issuer + "/par"), kid: "es-1")
            let request = Self.request(TestPKCE()).map { $0.0 == "client_id" ? ($0.0, "keyed-client") : $0 }
            let jwt = try await harness.postForm("/par", request + [
                ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"), ("client_assertion", assertion),
            ])
            #expect(jwt.status == 201, "\(jwt.body)")
        }
    }
}

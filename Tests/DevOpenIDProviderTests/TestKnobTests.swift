import DevOpenIDProvider
import Foundation
import Testing

@Suite("Test knobs")
struct TestKnobTests {
    @Test("forced invalid_grant, 500 and HTML answers come in order over HTTP, then normal answers resume")
    func forcedAnswers() async throws {
        try await ProviderHarness.run { harness in
            let force = try await harness.postJSON("/_dev/force", #"{"responses":["invalid_grant","server_error","html"]}"#)
            #expect(force.status == 200)
            let form = [("grant_type", "client_credentials")]
            let first = try await harness.postForm("/token", form, headers: [ProviderHarness.basicTestClient])
            #expect(first.status == 400)
            #expect(first.string("error") == "invalid_grant")
            let second = try await harness.postForm("/token", form, headers: [ProviderHarness.basicTestClient])
            #expect(second.status == 500)
            let third = try await harness.postForm("/token", form, headers: [ProviderHarness.basicTestClient])
            #expect(third.status == 200)
            #expect(third.headers.first(name: "content-type")?.hasPrefix("text/html") == true)
            let fourth = try await harness.postForm("/token", form, headers: [ProviderHarness.basicTestClient])
            #expect(fourth.status == 200)
            #expect(fourth.string("access_token") != nil)
        }
    }

    @Test("injected latency delays the token endpoint")
    func latency() async throws {
        try await ProviderHarness.run { harness in
            _ = try await harness.postJSON("/_dev/latency", #"{"token_ms":400}"#)
            let clock = ContinuousClock()
            let start = clock.now
            let response = try await harness.postForm("/token", [("grant_type", "client_credentials")], headers: [ProviderHarness.basicTestClient])
            #expect(response.status == 200)
            #expect(clock.now - start >= .milliseconds(400))
            await harness.provider.setTokenLatency(.zero)
        }
    }

    @Test("grant counters count requests per grant type and reset")
    func counters() async throws {
        try await ProviderHarness.run { harness in
            let login = try await harness.logIn()
            _ = try await harness.refresh(login.string("refresh_token") ?? "")
            _ = try await harness.postForm("/token", [("grant_type", "client_credentials")], headers: [ProviderHarness.basicTestClient])
            let counters = try await harness.get("/_dev/counters")
            #expect(counters.number("authorization_code") == 1)
            #expect(counters.number("refresh_token") == 1)
            #expect(counters.number("client_credentials") == 1)
            let reset = try await harness.postJSON("/_dev/counters/reset", "{}")
            #expect(reset.number("refresh_token") == 0)
            #expect(await harness.provider.currentGrantCounts() == DevOpenIDProvider.GrantCounts())
        }
    }

    @Test("lifetimes changed at run time apply to tokens issued afterwards")
    func lifetimes() async throws {
        try await ProviderHarness.run { harness in
            let update = try await harness.postJSON("/_dev/lifetimes", #"{"access_token":42}"#)
            #expect(update.number("access_token") == 42)
            let response = try await harness.postForm("/token", [("grant_type", "client_credentials")], headers: [ProviderHarness.basicTestClient])
            #expect(response.number("expires_in") == 42)
        }
    }

    @Test("key rotation signs with the new key and keeps the old one published")
    func keyRotation() async throws {
        try await ProviderHarness.run { harness in
            let before = try await harness.logIn()
            let oldKeyID = TestJWT.header(of: before.string("id_token") ?? "")["kid"]
            let rotation = try await harness.postJSON("/_dev/rotate-keys", "{}")
            let newKeyID = try #require(rotation.string("kid"))
            #expect(newKeyID != oldKeyID)
            let after = try await harness.logIn()
            #expect(TestJWT.header(of: after.string("id_token") ?? "")["kid"] == newKeyID)
            let jwks = try await harness.get("/jwks").body
            _ = try await TestJWT.verify(before.string("id_token") ?? "", as: TestIDTokenClaims.self, jwks: jwks)
            _ = try await TestJWT.verify(after.string("id_token") ?? "", as: TestIDTokenClaims.self, jwks: jwks)
        }
    }

    @Test("the next ID token can be signed with a foreign key under the real kid, or carry a chosen nonce")
    func idTokenOverrides() async throws {
        try await ProviderHarness.run { harness in
            let jwks = try await harness.get("/jwks").body
            _ = try await harness.postJSON("/_dev/next-id-token", #"{"foreign_key":true}"#)
            let forged = try #require(try await harness.logIn().string("id_token"))
            await #expect(throws: (any Error).self) {
                _ = try await TestJWT.verify(forged, as: TestIDTokenClaims.self, jwks: jwks)
            }
            await harness.provider.setNextIDTokenOverrides(.init(nonce: "attacker-nonce"))
            let wrongNonce = try #require(try await harness.logIn(nonce: "mine").string("id_token"))
            #expect(try await TestJWT.verify(wrongNonce, as: TestIDTokenClaims.self, jwks: jwks).nonce == "attacker-nonce")
            let normal = try #require(try await harness.logIn(nonce: "mine").string("id_token"))
            #expect(try await TestJWT.verify(normal, as: TestIDTokenClaims.self, jwks: jwks).nonce == "mine")
        }
    }
}

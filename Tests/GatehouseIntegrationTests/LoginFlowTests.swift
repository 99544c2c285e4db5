import Foundation
import GatehouseRedis
import GatehouseServer
import GatehouseTestSupport
import Testing

@Suite("BFF login, user and logout over real HTTP with Redis and the development provider")
struct LoginFlowTests {
    @Test("login → user → logout: claims without tokens, a provider logout URL, and the session gone")
    func happyPath() async throws {
        try await GatehouseHarness.run { h in
            let callback = try await h.login(returnURL: "/after")
            #expect(callback.status == 302)
            #expect(callback.location == "/after")
            let setCookie = try #require(callback.setCookies.first { $0.hasPrefix("gatehouse=") })
            #expect(setCookie.contains("HttpOnly"))
            #expect(setCookie.contains("SameSite=Strict"))
            #expect(setCookie.contains("Path=/"))
            #expect(!setCookie.lowercased().contains("domain="))

            let user = try await h.user()
            #expect(user.status == 200)
            let claims = try #require(try JSONSerialization.jsonObject(with: Data(user.body.utf8)) as? [String: Any])
            #expect(claims["sub"] as? String == "3f2a1c9e-demo-user-0001")
            #expect(claims["email"] as? String == "demo@example.com")
            #expect((claims["session_expires_at"] as? Double ?? 0) > Date().timeIntervalSince1970)
            #expect(claims["nonce"] == nil)
            #expect(!user.body.contains("eyJ"), "no JWT in /bff/user")
            #expect(!user.body.lowercased().contains("token\""), "no token fields in /bff/user")

            let logout = try await h.browser.send(h.gatehouse + "/bff/logout", method: .POST, headers: [("X-CSRF", "1")])
            #expect(logout.status == 200)
            let body = try #require(try JSONSerialization.jsonObject(with: Data(logout.body.utf8)) as? [String: String])
            let logoutURL = try #require(body["logout_url"])
            #expect(logoutURL.hasPrefix(h.issuer + "/end-session"))
            #expect(logoutURL.contains("id_token_hint="))
            #expect(logoutURL.contains("post_logout_redirect_uri="))
            #expect(logout.setCookies.contains { $0.hasPrefix("gatehouse=;") && $0.contains("Max-Age=0") })
            #expect(try await h.user().status == 401)
            #expect(try await sessionKeys(h).isEmpty, "the Redis record is gone")
        }
    }

    @Test("logout revokes the refresh token at the provider")
    func logoutRevokes() async throws {
        try await GatehouseHarness.run { h in
            try await h.login()
            let before = await h.provider.currentGrantCounts()
            _ = try await h.browser.send(h.gatehouse + "/bff/logout", method: .POST, headers: [("X-CSRF", "1")])
            let after = await h.provider.currentGrantCounts()
            #expect(after.revocation == before.revocation + 1)
        }
    }

    @Test("/bff/user without a session is 401 JSON, never a redirect")
    func userWithoutSession() async throws {
        try await GatehouseHarness.run { h in
            let page = try await h.user()
            #expect(page.status == 401)
            #expect(page.headers.first(name: "Content-Type") == "application/json")
            #expect(page.body.contains("not_signed_in"))
        }
    }

    @Test("two logins started in parallel tabs both complete")
    func parallelTabs() async throws {
        try await GatehouseHarness.run { h in
            let (first, _) = try await h.startLogin(returnURL: "/one")
            let (second, _) = try await h.startLogin(returnURL: "/two")
            let secondCallback = try await h.submitLogin(second)
            let firstCallback = try await h.submitLogin(first)
            let two = try await h.browser.get(try #require(secondCallback.location))
            let one = try await h.browser.get(try #require(firstCallback.location))
            #expect(two.status == 302 && two.location == "/two")
            #expect(one.status == 302 && one.location == "/one")
        }
    }
}

/// Session keys in Redis (the test's view of "is a session stored").
func sessionKeys(_ h: GatehouseHarness) async throws -> [String] {
    let reply = try await h.redisClient.send([Array("KEYS".utf8), Array("gatehouse:s:*".utf8)])
    return (reply.array ?? []).compactMap { $0.bytes.map { String(decoding: $0, as: UTF8.self) } }
}

import DevOpenIDProvider
import Foundation
import GatehouseServer
import GatehouseTestSupport
import Testing

/// A session that ended is never brought back (PRODUCT.md "Hostile input"), and the per-user limit.
@Suite("Ended sessions stay ended: late refreshes, rejected ID tokens, max_per_user")
struct LateRefreshTests {
    private static func apiStatus(_ h: GatehouseHarness, cookie: String? = nil) async throws -> Int {
        var headers = [("X-CSRF", "1")]
        if let cookie { headers.append(("Cookie", "\(h.configuration.session.cookieName)=\(cookie)")) }
        return try await h.browser.get(h.gatehouse + "/api/echo", headers: headers).status
    }

    private static func userStatus(_ h: GatehouseHarness, cookie: String) async throws -> Int {
        try await h.browser.get(h.gatehouse + "/bff/user", headers: [("X-CSRF", "1"), ("Cookie", "\(h.configuration.session.cookieName)=\(cookie)")]).status
    }

    /// Waits (bounded) until the provider has processed a refresh grant.
    private static func waitForRefreshGrant(_ h: GatehouseHarness) async throws {
        for _ in 0..<250 {
            if await h.provider.currentGrantCounts().refreshToken >= 1 { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw HarnessError("no refresh reached the provider")
    }

    private static func subject(_ h: GatehouseHarness) async throws -> String {
        let page = try await h.user()
        let claims = try #require(try JSONSerialization.jsonObject(with: Data(page.body.utf8)) as? [String: Any])
        return try #require(claims["sub"] as? String)
    }

    @Test("a logout while the refresh waits for the provider's answer stays a logout: the old cookie is 401 everywhere")
    func logoutDuringRefresh() async throws {
        try await GatehouseHarness.run(configure: { $0.session.refreshBeforeExpiry = .seconds(60) }) { h in
            await h.provider.setLifetimes(.init(accessToken: .seconds(30)))
            try await h.login()
            let cookie = try #require(h.sessionCookie)
            let subject = try await Self.subject(h)
            await h.provider.resetGrantCounts()
            await h.provider.setTokenAnswerDelay(.milliseconds(1500))
            let call = Task { try await Self.apiStatus(h, cookie: cookie) }
            try await Self.waitForRefreshGrant(h)
            #expect(try await h.browser.post(h.gatehouse + "/bff/logout", form: [], headers: [("X-CSRF", "1")]).status == 200)
            #expect(try await call.value == 401, "the call that refreshed finds its session gone")
            await h.provider.setTokenAnswerDelay(.zero)
            #expect(try await Self.userStatus(h, cookie: cookie) == 401, "not resurrected by the late write")
            #expect(try await Self.apiStatus(h, cookie: cookie) == 401)
            #expect(await h.provider.liveRefreshTokenCount(subject: subject) == 0)
        }
    }

    @Test("a back-channel logout during the refresh stays a logout, and the tokens that refresh got are revoked at the provider")
    func backchannelLogoutDuringRefresh() async throws {
        try await GatehouseHarness.run(configure: { $0.session.refreshBeforeExpiry = .seconds(60) }) { h in
            await h.provider.setLifetimes(.init(accessToken: .seconds(30)))
            try await h.login()
            let cookie = try #require(h.sessionCookie)
            let subject = try await Self.subject(h)
            let sid = try #require(await h.provider.sessionIDs(subject: subject).first)
            await h.provider.resetGrantCounts()
            await h.provider.setTokenAnswerDelay(.milliseconds(1500))
            let call = Task { try await Self.apiStatus(h, cookie: cookie) }
            try await Self.waitForRefreshGrant(h)
            let logoutToken = try await h.provider.makeLogoutToken(clientID: GatehouseHarness.clientID, sid: sid)
            #expect(try await h.browser.post(h.gatehouse + "/bff/backchannel-logout", form: [("logout_token", logoutToken)]).status == 200)
            #expect(try await call.value == 401)
            await h.provider.setTokenAnswerDelay(.zero)
            #expect(try await Self.userStatus(h, cookie: cookie) == 401, "not resurrected by the late write")
            #expect(await h.provider.liveRefreshTokenCount(subject: subject) == 0, "the rotated refresh token was revoked, not left live")
        }
    }

    @Test("a refreshed ID token that does not validate is a 502 error JSON with security headers, and the rotated refresh token is kept")
    func rejectedRefreshIDToken() async throws {
        try await GatehouseHarness.run(configure: { $0.session.refreshBeforeExpiry = .seconds(60) }) { h in
            await h.provider.setLifetimes(.init(accessToken: .seconds(30)))
            try await h.login()
            await h.provider.setNextIDTokenOverrides(.init(audience: "someone-else"))
            let refused = try await h.browser.get(h.gatehouse + "/api/echo", headers: [("X-CSRF", "1")])
            #expect(refused.status == 502)
            #expect(refused.body.contains(#""error":"provider_error""#), "\(refused.body)")
            #expect(refused.headers.first(name: "X-Content-Type-Options") == "nosniff")
            #expect(refused.headers.first(name: "Content-Security-Policy") != nil)
            // The refresh token the provider rotated to is the one stored: the next refresh works.
            #expect(try await Self.apiStatus(h) == 200)
        }
    }

    @Test("session.max_per_user 2: a third login ends the oldest session, which is 401 while the newest two work")
    func maxPerUser() async throws {
        try await GatehouseHarness.run(configure: { $0.session.maxPerUser = 2 }) { h in
            var cookies: [String] = []
            for _ in 0..<3 {
                h.browser.clearCookies()
                try await h.login()
                cookies.append(try #require(h.sessionCookie))
            }
            #expect(try await Self.userStatus(h, cookie: cookies[0]) == 401)
            #expect(try await Self.userStatus(h, cookie: cookies[1]) == 200)
            #expect(try await Self.userStatus(h, cookie: cookies[2]) == 200)
            let subject = try await Self.subject(h)
            #expect(await h.provider.liveRefreshTokenCount(subject: subject) == 2, "the ended session's refresh token was revoked")
        }
    }
}

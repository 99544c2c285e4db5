import DevOpenIDProvider
import Foundation
import GatehouseRedis
import GatehouseTestSupport
import Testing

@Suite("BFF login under attack")
struct LoginAttackTests {
    @Test("a returnUrl that is not a local path falls back to /", arguments: [
        "https://evil.example", "//evil.example", "/\\evil.example", "%2F%2Fevil.example", "javascript:alert(1)", "/%2F%2Fevil.example",
    ])
    func openRedirect(returnURL: String) async throws {
        try await GatehouseHarness.run { h in
            let callback = try await h.login(returnURL: returnURL)
            #expect(callback.status == 302)
            #expect(callback.location == "/")
        }
    }

    @Test("a replayed callback (state already used) is 400 and creates no session")
    func replayedState() async throws {
        try await GatehouseHarness.run { h in
            let (page, _) = try await h.startLogin()
            let toCallback = try await h.submitLogin(page)
            let callbackURL = try #require(toCallback.location)
            #expect(try await h.browser.get(callbackURL).status == 302)
            h.browser.setCookie(h.configuration.session.cookieName, nil, for: h.gatehouse)
            let replay = try await h.browser.get(callbackURL)
            #expect(replay.status == 400)
            #expect(replay.body.contains("invalid_state"))
            #expect(h.sessionCookie == nil)
            #expect(try await sessionKeys(h).count == 1, "only the first callback made a session")
        }
    }

    @Test("a callback in another browser (no login cookie, or another one) is 400 with no session")
    func otherBrowser() async throws {
        try await GatehouseHarness.run { h in
            let (page, _) = try await h.startLogin()
            let toCallback = try await h.submitLogin(page)
            let callbackURL = try #require(toCallback.location)
            h.browser.setCookie(h.configuration.loginCookieName, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", for: h.gatehouse)
            let answer = try await h.browser.get(callbackURL)
            #expect(answer.status == 400)
            #expect(h.sessionCookie == nil)
            #expect(try await sessionKeys(h).isEmpty)
            // And the state is spent: the right browser cannot use it afterwards either.
            h.browser.clearCookies()
            #expect(try await h.browser.get(callbackURL).status == 400)
        }
    }

    @Test("an expired login state is 400")
    func expiredState() async throws {
        try await GatehouseHarness.run(configure: { $0.timings.login = .seconds(1) }) { h in
            let (page, _) = try await h.startLogin()
            let toCallback = try await h.submitLogin(page)
            try await Task.sleep(for: .milliseconds(1500))
            let answer = try await h.browser.get(try #require(toCallback.location))
            #expect(answer.status == 400)
            #expect(h.sessionCookie == nil)
        }
    }

    @Test("error=access_denied from the provider is a clear 400 page and no session")
    func accessDenied() async throws {
        try await GatehouseHarness.run { h in
            let (page, _) = try await h.startLogin()
            let toCallback = try await h.submitLogin(page, action: "deny")
            #expect(toCallback.location?.contains("error=access_denied") == true)
            let answer = try await h.browser.get(try #require(toCallback.location), headers: [("Accept", "text/html")])
            #expect(answer.status == 400)
            #expect(answer.headers.first(name: "Content-Type")?.hasPrefix("text/html") == true)
            #expect(answer.body.contains("access_denied"))
            #expect(h.sessionCookie == nil)
        }
    }

    @Test("an ID token signed by a foreign key is refused: 400, no session")
    func forgedIDToken() async throws {
        try await GatehouseHarness.run { h in
            await h.provider.setNextIDTokenOverrides(.init(signsWithForeignKey: true))
            let answer = try await h.login()
            #expect(answer.status == 400)
            #expect(answer.body.contains("login_failed"))
            #expect(h.sessionCookie == nil)
            #expect(try await sessionKeys(h).isEmpty)
        }
    }

    @Test("an ID token with another nonce is refused: 400, no session")
    func nonceMismatch() async throws {
        try await GatehouseHarness.run { h in
            await h.provider.setNextIDTokenOverrides(.init(nonce: "not-the-nonce-we-sent"))
            let answer = try await h.login()
            #expect(answer.status == 400)
            #expect(h.sessionCookie == nil)
            #expect(try await sessionKeys(h).isEmpty)
        }
    }

    @Test("session fixation: a session cookie held before login is replaced and ended")
    func fixation() async throws {
        try await GatehouseHarness.run { h in
            // The attacker's own real session, planted in the victim's browser.
            try await h.login()
            let planted = try #require(h.sessionCookie)
            try await h.login()
            let after = try #require(h.sessionCookie)
            #expect(after != planted)
            h.browser.setCookie(h.configuration.session.cookieName, planted, for: h.gatehouse)
            #expect(try await h.user().status == 401, "the planted session was ended at login")
        }
    }

    @Test("a tampered session cookie is no session: 401")
    func tamperedCookie() async throws {
        try await GatehouseHarness.run { h in
            try await h.login()
            let cookie = try #require(h.sessionCookie)
            var characters = Array(cookie)
            characters[5] = characters[5] == "A" ? "B" : "A"
            h.browser.setCookie(h.configuration.session.cookieName, String(characters), for: h.gatehouse)
            #expect(try await h.user().status == 401)
            h.browser.setCookie(h.configuration.session.cookieName, "not-a-session-id!*~", for: h.gatehouse)
            #expect(try await h.user().status == 401)
        }
    }

    @Test("the cookie of a logged-out session no longer works")
    func deletedSession() async throws {
        try await GatehouseHarness.run { h in
            try await h.login()
            let cookie = try #require(h.sessionCookie)
            _ = try await h.browser.send(h.gatehouse + "/bff/logout", method: .POST, headers: [("X-CSRF", "1")])
            h.browser.setCookie(h.configuration.session.cookieName, cookie, for: h.gatehouse)
            #expect(try await h.user().status == 401)
        }
    }

    @Test("missing or wrong CSRF header: 403 on /bff/user and /bff/logout, and logout does nothing")
    func csrf() async throws {
        try await GatehouseHarness.run { h in
            try await h.login()
            #expect(try await h.browser.get(h.gatehouse + "/bff/user").status == 403)
            #expect(try await h.browser.get(h.gatehouse + "/bff/user", headers: [("X-CSRF", "0")]).status == 403)
            #expect(try await h.browser.get(h.gatehouse + "/bff/user", headers: [("X-CSRF", "true")]).status == 403)
            let logout = try await h.browser.send(h.gatehouse + "/bff/logout", method: .POST)
            #expect(logout.status == 403)
            #expect(logout.body.contains("csrf_header_missing"))
            #expect(try await h.user().status == 200, "the session survived the forged logout")
        }
    }
}

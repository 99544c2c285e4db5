import DevOpenIDProvider
import Foundation
import GatehouseServer
import GatehouseTestSupport
import Testing

/// `/bff/sessions` and the admin API over real HTTP, with several browsers' cookie jars, a real
/// redis-server and the development provider (PRODUCT.md, the sessions rows of the HTTP surface).
@Suite("Sessions API: list, end one, end others; admin API")
struct SessionsAPITests {
    static let adminToken = "admin-token-for-tests-0123456789"

    /// Runs `body` with one signed-in browser (a cookie jar of its own) per user, shut down afterwards.
    private static func withBrowsers(
        _ h: GatehouseHarness, _ users: [DevOpenIDProvider.User], _ body: ([TestBrowser]) async throws -> Void
    ) async throws {
        let browsers = users.map { _ in TestBrowser() }
        do {
            for (browser, user) in zip(browsers, users) { try await h.login(as: user, in: browser) }
            try await body(browsers)
        } catch {
            for browser in browsers { try? await browser.shutdown() }
            throw error
        }
        for browser in browsers { try? await browser.shutdown() }
    }

    private static func list(_ h: GatehouseHarness, _ browser: TestBrowser) async throws -> (status: Int, sessions: [[String: Any]]) {
        let page = try await browser.get(h.gatehouse + "/bff/sessions", headers: [("X-CSRF", "1")])
        let object = try? JSONSerialization.jsonObject(with: Data(page.body.utf8)) as? [String: Any]
        return (page.status, object?["sessions"] as? [[String: Any]] ?? [])
    }

    private static func userStatus(_ h: GatehouseHarness, _ browser: TestBrowser) async throws -> Int {
        try await browser.get(h.gatehouse + "/bff/user", headers: [("X-CSRF", "1")]).status
    }

    @Test("the list shows exactly the user's live sessions, current marked, with device, address and times; never another user's")
    func listing() async throws {
        try await GatehouseHarness.run { h in
            try await Self.withBrowsers(h, [.demo, .demo, GatehouseHarness.otherUser]) { browsers in
                let (a, b, erin) = (browsers[0], browsers[1], browsers[2])
                let (status, sessions) = try await Self.list(h, a)
                #expect(status == 200)
                #expect(sessions.count == 2, "A and B, not Erin's")
                #expect(sessions.filter { $0["current"] as? Bool == true }.count == 1)
                for session in sessions {
                    #expect(session["user_agent"] as? String == "GatehouseHarness/1.0 (demo)")
                    #expect(session["ip"] as? String == "127.0.0.1")
                    for field in ["created_at", "last_seen_at", "expires_at"] {
                        #expect((session[field] as? String).flatMap { try? Date($0, strategy: .iso8601) } != nil, "\(field) is an ISO 8601 time")
                    }
                    let id = try #require(session["id"] as? String)
                    #expect(id.count == 22, "a handle, not the 43-character cookie value")
                    #expect(!(a.cookies(for: h.gatehouse).values.contains(id) || b.cookies(for: h.gatehouse).values.contains(id)))
                    let keys = try await h.redisClient.send([Array("KEYS".utf8), Array("*\(id)*".utf8)]).array ?? []
                    #expect(keys.isEmpty, "no Redis key holds the handle")
                }
                #expect(try await Self.list(h, erin).sessions.count == 1)
                // No session, no list; no CSRF header, no list.
                #expect(try await h.browser.get(h.gatehouse + "/bff/sessions", headers: [("X-CSRF", "1")]).status == 401)
                #expect(try await a.get(h.gatehouse + "/bff/sessions").status == 403)
            }
        }
    }

    @Test("ending another device: its cookie is 401 at once, its refresh token is revoked; another user's handle is 404")
    func endOne() async throws {
        try await GatehouseHarness.run { h in
            try await Self.withBrowsers(h, [.demo, .demo, GatehouseHarness.otherUser]) { browsers in
                let (a, b, erin) = (browsers[0], browsers[1], browsers[2])
                #expect(try await Self.userStatus(h, b) == 200)
                let demo = DevOpenIDProvider.User.demo.subject
                #expect(await h.provider.liveRefreshTokenCount(subject: demo) == 2)

                let erinHandle = try #require(try await Self.list(h, erin).sessions.first?["id"] as? String)
                let foreign = try await a.send(h.gatehouse + "/bff/sessions/" + erinHandle, method: .DELETE, headers: [("X-CSRF", "1")])
                #expect(foreign.status == 404, "Erin's session is not A's user's")
                #expect(try await Self.userStatus(h, erin) == 200)
                #expect(try await a.send(h.gatehouse + "/bff/sessions/not-a-handle", method: .DELETE, headers: [("X-CSRF", "1")]).status == 404)

                let other = try #require(try await Self.list(h, a).sessions.first { $0["current"] as? Bool == false }?["id"] as? String)
                #expect(try await a.send(h.gatehouse + "/bff/sessions/" + other, method: .DELETE).status == 403, "needs the CSRF header")
                #expect(try await Self.userStatus(h, b) == 200)
                let ended = try await a.send(h.gatehouse + "/bff/sessions/" + other, method: .DELETE, headers: [("X-CSRF", "1")])
                #expect(ended.status == 204)
                #expect(try await Self.userStatus(h, b) == 401, "B is signed out")
                #expect(try await Self.userStatus(h, a) == 200, "A is not")
                #expect(await h.provider.liveRefreshTokenCount(subject: demo) == 1, "B's refresh token was revoked")
                #expect(try await Self.list(h, a).sessions.count == 1)
                // Ending it again: it is no session of this user any more.
                #expect(try await a.send(h.gatehouse + "/bff/sessions/" + other, method: .DELETE, headers: [("X-CSRF", "1")]).status == 404)
            }
        }
    }

    @Test("end-others keeps only the caller's session")
    func endOthers() async throws {
        try await GatehouseHarness.run { h in
            try await Self.withBrowsers(h, [.demo, .demo, .demo, GatehouseHarness.otherUser]) { browsers in
                let (a, b, c, erin) = (browsers[0], browsers[1], browsers[2], browsers[3])
                let page = try await a.post(h.gatehouse + "/bff/sessions/end-others", form: [], headers: [("X-CSRF", "1")])
                #expect(page.status == 200)
                #expect(page.body.contains("\"ended\":2"), "\(page.body)")
                #expect(try await Self.userStatus(h, a) == 200)
                #expect(try await Self.userStatus(h, b) == 401)
                #expect(try await Self.userStatus(h, c) == 401)
                #expect(try await Self.userStatus(h, erin) == 200, "another user's sessions are untouched")
                #expect(await h.provider.liveRefreshTokenCount(subject: DevOpenIDProvider.User.demo.subject) == 1)
            }
        }
    }

    @Test("the admin API is 404 without admin.token")
    func adminOff() async throws {
        try await GatehouseHarness.run { h in
            let page = try await h.browser.get(h.admin + "/admin/sessions?sub=x", headers: [("Authorization", "Bearer \(Self.adminToken)")])
            #expect(page.status == 404)
        }
    }

    @Test("admin API: no or wrong bearer is 401; it lists a subject's sessions and ends them all")
    func admin() async throws {
        try await GatehouseHarness.run(configure: { $0.admin.token = ConfigSecret(Self.adminToken) }) { h in
            try await Self.withBrowsers(h, [.demo, .demo, GatehouseHarness.otherUser]) { browsers in
                let (a, b, erin) = (browsers[0], browsers[1], browsers[2])
                let demo = DevOpenIDProvider.User.demo.subject
                let url = h.admin + "/admin/sessions?sub=" + demo
                #expect(try await h.browser.get(url).status == 401)
                #expect(try await h.browser.get(url, headers: [("Authorization", "Bearer \(Self.adminToken)x")]).status == 401)
                #expect(try await h.browser.get(url, headers: [("Authorization", "Bearer \(Self.adminToken.dropLast())")]).status == 401)
                #expect(try await h.browser.send(url, method: .DELETE, headers: [("Authorization", "Basic \(Self.adminToken)")]).status == 401)
                #expect(try await Self.userStatus(h, a) == 200, "a refused call changes nothing")

                let listed = try await h.browser.get(url, headers: [("Authorization", "Bearer \(Self.adminToken)")])
                #expect(listed.status == 200)
                let sessions = (try JSONSerialization.jsonObject(with: Data(listed.body.utf8)) as? [String: Any])?["sessions"] as? [[String: Any]]
                #expect(sessions?.count == 2)
                #expect(sessions?.allSatisfy { $0["current"] as? Bool == false } == true)

                let ended = try await h.browser.send(url, method: .DELETE, headers: [("Authorization", "Bearer \(Self.adminToken)")])
                #expect(ended.status == 200)
                #expect(ended.body.contains("\"ended\":2"), "\(ended.body)")
                #expect(try await Self.userStatus(h, a) == 401)
                #expect(try await Self.userStatus(h, b) == 401)
                #expect(try await Self.userStatus(h, erin) == 200)
                #expect(await h.provider.liveRefreshTokenCount(subject: demo) == 0, "their refresh tokens are revoked")
            }
        }
    }
}

import DevOpenIDProvider
import Foundation
import GatehouseTestSupport
import Testing

@Suite("Transparent refresh on API calls")
struct TransparentRefreshTests {
    private func echoedBearer(_ h: GatehouseHarness) async throws -> (status: Int, bearer: String?) {
        let page = try await h.browser.get(h.gatehouse + "/api/echo", headers: [("X-CSRF", "1")])
        let seen = try? JSONSerialization.jsonObject(with: Data(page.body.utf8)) as? [String: String]
        return (page.status, seen?["authorization"])
    }

    @Test("an access token expiring within refresh_before_expiry is refreshed once for concurrent calls, with rotation")
    func refreshOnceForConcurrentCalls() async throws {
        // Tokens live 30 s and are refreshed when under 60 s: every call finds the token due.
        try await GatehouseHarness.run(configure: { $0.session.refreshBeforeExpiry = .seconds(60) }) { h in
            await h.provider.setLifetimes(.init(accessToken: .seconds(30)))
            try await h.login()
            let first = try await echoedBearer(h)
            #expect(first.status == 200)
            await h.provider.resetGrantCounts()
            // The new token lives 30 s too, so it is due again: keep it fresh for the burst.
            await h.provider.setLifetimes(.init(accessToken: .seconds(3600)))
            let results = try await withThrowingTaskGroup(of: (Int, String?).self) { group in
                for _ in 0..<20 { group.addTask { try await echoedBearer(h) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.allSatisfy { $0.0 == 200 })
            #expect(Set(results.compactMap(\.1)).count == 1, "every call used the one refreshed token")
            #expect(results.first?.1 != first.bearer, "the token was refreshed")
            #expect(await h.provider.currentGrantCounts().refreshToken == 1, "one refresh at the provider")
            // The rotated refresh token was stored: a later refresh still works.
            await h.provider.setLifetimes(.init(accessToken: .seconds(30)))
            _ = try await echoedBearer(h)
            #expect(try await echoedBearer(h).status == 200)
        }
    }

    @Test("invalid_grant on refresh ends the session: 401, and /bff/user agrees")
    func invalidGrant() async throws {
        try await GatehouseHarness.run(configure: { $0.session.refreshBeforeExpiry = .seconds(60) }) { h in
            await h.provider.setLifetimes(.init(accessToken: .seconds(30)))
            try await h.login()
            await h.provider.forceNextTokenResponses([.invalidGrant])
            #expect(try await echoedBearer(h).status == 401)
            #expect(try await h.user().status == 401)
        }
    }

    @Test("a provider answering 500 or HTML on refresh gives 502 and keeps the session")
    func providerFailureKeepsSession() async throws {
        try await GatehouseHarness.run(configure: { $0.session.refreshBeforeExpiry = .seconds(60) }) { h in
            await h.provider.setLifetimes(.init(accessToken: .seconds(30)))
            try await h.login()
            await h.provider.forceNextTokenResponses([.serverError, .html])
            #expect(try await echoedBearer(h).status == 502)
            #expect(try await echoedBearer(h).status == 502)
            #expect(try await h.user().status == 200, "the session is kept")
            #expect(try await echoedBearer(h).status == 200, "and works once the provider recovers")
        }
    }

    @Test("no session on a user route is 401 JSON, not a redirect; the upstream is never called")
    func noSession() async throws {
        try await GatehouseHarness.run { h in
            let page = try await h.browser.get(h.gatehouse + "/api/echo", headers: [("X-CSRF", "1")])
            #expect(page.status == 401)
            #expect(page.location == nil)
            #expect(page.body.contains("not_signed_in"))
        }
    }
}

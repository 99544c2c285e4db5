import DevOpenIDProvider
import Foundation
@testable import GatehouseServer
import GatehouseTestSupport
import Testing

/// PRODUCT.md "Authorization per route", `audience`: RFC 8693 token exchange at the development
/// provider, over real HTTP and Redis.
@Suite("Token exchange per route audience")
struct TokenExchangeTests {
    static func routes(_ upstream: URL) -> [Route] {
        let any = URL(string: upstream.absoluteString + "any")!
        return [
            Route(path: "/api/", upstream: upstream),
            Route(path: "/orders/", upstream: any, stripPrefix: true, audience: GatehouseHarness.exchangeAudience),
            Route(path: "/refused/", upstream: any, stripPrefix: true, audience: "https://refused.example.com"),
        ]
    }

    private static func bearer(_ h: GatehouseHarness, _ path: String) async throws -> (status: Int, token: String?) {
        let page = try await h.browser.get(h.gatehouse + path, headers: [("X-CSRF", "1")])
        let body = try? JSONSerialization.jsonObject(with: Data(page.body.utf8)) as? [String: Any]
        let authorization = (body?["headers"] as? [String: String])?["authorization"]
        return (page.status, authorization.map { String($0.dropFirst("Bearer ".count)) })
    }

    @Test("the route's upstream gets an audience-bound token of the same user, never the user's own; it is cached per session; a refusal is 403")
    func exchange() async throws {
        try await GatehouseHarness.run(routes: Self.routes) { h in
            try await h.login()
            await h.provider.resetGrantCounts()
            let user = try #require(try await Self.bearer(h, "/api/headers").token)
            let (status, orders) = try await Self.bearer(h, "/orders/list")
            #expect(status == 200)
            let exchanged = try #require(orders)
            #expect(exchanged != user, "the user's token never reaches the audience route")
            let binding = try #require(await h.provider.accessTokenBinding(exchanged))
            #expect(binding.audience == GatehouseHarness.exchangeAudience)
            #expect(binding.subject == DevOpenIDProvider.User.demo.subject)
            #expect(await h.provider.accessTokenBinding(user)?.audience == nil)

            #expect(try await Self.bearer(h, "/orders/again").token == exchanged, "cached in the session")
            #expect(try await Self.bearer(h, "/api/headers").token == user, "other routes keep the user's token")
            #expect(await h.provider.currentGrantCounts().tokenExchange == 1)

            let refused = try await h.browser.get(h.gatehouse + "/refused/x", headers: [("X-CSRF", "1")])
            #expect(refused.status == 403)
            #expect(refused.body.contains("token_exchange_failed"))

            // Logout drops the cache with the session: the next session exchanges afresh.
            _ = try await h.browser.post(h.gatehouse + "/bff/logout", form: [], headers: [("X-CSRF", "1")])
            try await h.login()
            let next = try #require(try await Self.bearer(h, "/orders/list").token)
            #expect(next != exchanged)
            #expect(await h.provider.currentGrantCounts().tokenExchange == 3)
        }
    }
}

/// Part of the serialized refresh-storm suite: two three-replica clusters at once would load a
/// two-core machine enough to stall the other suites' timers.
extension RefreshStormTests {
    @Test("50 concurrent calls on three replicas: exactly one exchange; after expiry another 50 make one refresh and one exchange")
    func exchangeStorm() async throws {
        let route = "{path: /x/, upstream: 'UPSTREAM', strip_prefix: true, audience: 'https://orders.example.com'}"
        try await withReplicas(extraRoutes: [route]) { cluster in
            // The login's token lives 3 s; exchanged and refreshed ones 7 s.
            await cluster.provider.setLifetimes(.init(accessToken: .seconds(7)))
            let (_, userTokens) = try await cluster.storm(calls: 3, path: "/api/echo")
            let (first, firstTokens) = try await cluster.storm(calls: 50, path: "/x/api/echo")
            #expect(first == [200: 50])
            let before = await cluster.provider.currentGrantCounts()
            #expect(before.tokenExchange == 1, "one exchange across replicas")
            #expect(firstTokens.count == 1)
            #expect(userTokens.isDisjoint(with: firstTokens), "the user's token is not the exchanged one")

            // Until the exchanged token is due; the login's token expired long before.
            try await cluster.waitUntilDue(lifetime: .seconds(7), since: cluster.lastRefresh)
            let (second, secondTokens) = try await cluster.storm(calls: 50, path: "/x/api/echo")
            #expect(second == [200: 50])
            let counts = await cluster.provider.currentGrantCounts()
            #expect(counts.tokenExchange == 2, "one more exchange after expiry")
            #expect(counts.refreshToken == before.refreshToken + 1, "the user's token was refreshed once on the way")
            #expect(secondTokens.count == 1 && secondTokens.isDisjoint(with: firstTokens))
        }
    }
}

import AsyncHTTPClient
import Foundation
@testable import GatehouseServer
import GatehouseTestSupport
import NIOCore
import Testing

@Suite("API proxy: allowlist, header hygiene, token modes, failures, streaming")
struct ProxyTests {
    static func routes(_ upstream: URL) -> [Route] {
        let base = upstream.absoluteString
        return [
            Route(path: "/api/", upstream: upstream),
            Route(path: "/api/v2/", upstream: URL(string: base + "any/stripped")!, token: .none, stripPrefix: true),
            Route(path: "/open/", upstream: URL(string: base + "any")!, token: .optional, stripPrefix: true),
            Route(path: "/public/", upstream: URL(string: base + "any")!, token: .none, methods: [.get], stripPrefix: true),
            Route(path: "/machine/", upstream: URL(string: base + "any")!, token: .client, stripPrefix: true),
            Route(path: "/either/", upstream: URL(string: base + "any")!, token: .userOrClient, stripPrefix: true),
            Route(path: "/down/", upstream: URL(string: "http://127.0.0.1:1/")!, token: .none),
            Route(path: "/api/slow", upstream: upstream, timeout: .seconds(1)),
        ]
    }

    private func json(_ page: TestBrowser.Page) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(page.body.utf8)) as? [String: Any])
    }

    @Test("longest prefix wins, strip_prefix drops the prefix, the query passes, the host is always the configured one")
    func prefixes() async throws {
        try await GatehouseHarness.run(routes: Self.routes) { h in
            let page = try await h.browser.get(h.gatehouse + "/api/v2/users/7?x=1&y=%2F", headers: [("X-CSRF", "1"), ("Host", "evil.example")])
            #expect(page.status == 200)
            let seen = try json(page)
            #expect(seen["path"] as? String == "/any/stripped/users/7")
            #expect(seen["query"] as? String == "x=1&y=%2F")
            #expect((seen["authority"] as? String)?.hasPrefix("127.0.0.1:") == true, "Host is the upstream's, not the browser's")
            #expect(try await h.browser.get(h.gatehouse + "/nowhere/x", headers: [("X-CSRF", "1")]).status == 404, "nothing but the routes is proxied")
        }
    }

    @Test("hop-by-hop headers, a browser Authorization, spoofed X-Forwarded-* and Gatehouse cookies never reach the upstream")
    func requestHygiene() async throws {
        try await GatehouseHarness.run(routes: Self.routes) { h in
            try await h.login()
            let page = try await h.browser.get(h.gatehouse + "/api/headers", headers: [
                ("X-CSRF", "1"), ("Connection", "X-Private-Hop"), ("X-Private-Hop", "secret"), ("Keep-Alive", "timeout=9"),
                ("TE", "trailers"), ("Proxy-Authorization", "Basic Zm9vOmJhcg=="), ("Authorization", "Bearer forged"),
                ("X-Forwarded-For", "6.6.6.6"), ("X-Forwarded-Host", "evil.example"), ("Forwarded", "for=6.6.6.6"),
                ("Cookie", "gatehouse=\(h.sessionCookie ?? ""); app-pref=dark; gatehouse-login=x"), ("X-App", "kept"),
            ])
            #expect(page.status == 200)
            let headers = try #require(try json(page)["headers"] as? [String: String])
            for removed in ["x-private-hop", "keep-alive", "te", "proxy-authorization", "forwarded", "x-csrf"] {
                #expect(headers[removed] == nil, "\(removed) was forwarded")
            }
            #expect(headers["authorization"]?.hasPrefix("Bearer ") == true)
            #expect(headers["authorization"] != "Bearer forged")
            #expect(headers["x-forwarded-for"] == "127.0.0.1")
            #expect(headers["x-forwarded-host"] == URL(string: h.gatehouse)!.host! + ":" + String(URL(string: h.gatehouse)!.port!))
            #expect(headers["x-forwarded-proto"] == "http")
            #expect(headers["cookie"] == "app-pref=dark")
            #expect(headers["x-app"] == "kept")
        }
    }

    @Test("behind a trusted proxy its X-Forwarded-* chain is kept and the peer appended; garbage entries are dropped")
    func trustedProxyChain() async throws {
        try await GatehouseHarness.run(configure: { $0.trustedProxies = [CIDR("127.0.0.0/8")!] }, routes: Self.routes) { h in
            try await h.login()
            let page = try await h.browser.get(h.gatehouse + "/api/headers", headers: [
                ("X-CSRF", "1"), ("X-Forwarded-For", "203.0.113.7, not-an-ip"), ("X-Forwarded-Proto", "https"), ("X-Forwarded-Host", "app.example.com"),
            ])
            let headers = try #require(try json(page)["headers"] as? [String: String])
            #expect(headers["x-forwarded-for"] == "203.0.113.7, 127.0.0.1")
            #expect(headers["x-forwarded-proto"] == "https")
            #expect(headers["x-forwarded-host"] == "app.example.com")
        }
    }

    @Test("an upstream cannot set Gatehouse's cookies or pass hop-by-hop headers back; its other headers pass")
    func responseHygiene() async throws {
        try await GatehouseHarness.run(routes: Self.routes) { h in
            try await h.login()
            let cookie = h.sessionCookie
            let page = try await h.browser.get(h.gatehouse + "/api/hostile-headers", headers: [("X-CSRF", "1")])
            #expect(page.status == 200)
            #expect(page.setCookies == ["app-pref=dark; Path=/"])
            #expect(page.headers.first(name: "X-Hop-Secret") == nil)
            #expect(page.headers.first(name: "Keep-Alive") == nil)
            #expect(page.headers.first(name: "X-Kept") == "passes")
            #expect(h.sessionCookie == cookie)
            #expect(try await h.user().status == 200)
        }
    }

    private func bearer(_ page: TestBrowser.Page) throws -> String? {
        #expect(page.status == 200)
        return (try json(page)["headers"] as? [String: String])?["authorization"]
    }

    @Test("token modes: none never sends a token, optional only with a session, client the client's, user_or_client the user's when signed in")
    func tokenModes() async throws {
        try await GatehouseHarness.run(routes: Self.routes) { h in
            let csrf = [("X-CSRF", "1")]
            #expect(try bearer(try await h.browser.get(h.gatehouse + "/open/x", headers: csrf)) == nil)
            let machine = try #require(try bearer(try await h.browser.get(h.gatehouse + "/machine/x", headers: csrf)))
            #expect(machine.hasPrefix("Bearer "))
            #expect(try bearer(try await h.browser.get(h.gatehouse + "/either/x", headers: csrf)) == machine, "no session: the client's token")

            try await h.login()
            let user = try #require(try bearer(try await h.browser.get(h.gatehouse + "/api/headers", headers: csrf)))
            #expect(user != machine)
            #expect(try bearer(try await h.browser.get(h.gatehouse + "/open/x", headers: csrf)) == user)
            #expect(try bearer(try await h.browser.get(h.gatehouse + "/either/x", headers: csrf)) == user, "signed in: the user's token")
            #expect(try bearer(try await h.browser.get(h.gatehouse + "/machine/x", headers: csrf)) == machine, "client routes never get the user's token")
            #expect(try bearer(try await h.browser.get(h.gatehouse + "/public/x", headers: csrf)) == nil)
            #expect(await h.provider.currentGrantCounts().clientCredentials == 1, "one client token, cached and shared")
        }
    }

    @Test("the client token: one grant for many concurrent calls, fetched again before it expires, provider failure → 502 and recovery")
    func clientToken() async throws {
        try await GatehouseHarness.run(configure: { $0.session.refreshBeforeExpiry = .seconds(1) }, routes: Self.routes) { h in
            await h.provider.setLifetimes(.init(accessToken: .seconds(3)))
            let url = h.gatehouse + "/machine/x"
            let browser = h.browser
            let first = try await withThrowingTaskGroup(of: String?.self) { group in
                for _ in 0..<20 { group.addTask { try await browser.get(url, headers: [("X-CSRF", "1")]).body } }
                var bodies: [String?] = []
                for try await body in group { bodies.append(body) }
                return Set(bodies.compactMap { $0.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }.flatMap { ($0["headers"] as? [String: String])?["authorization"] } })
            }
            #expect(first.count == 1, "twenty concurrent calls share one token")
            #expect(await h.provider.currentGrantCounts().clientCredentials == 1)

            try await Task.sleep(for: .milliseconds(2200))  // inside the last second of its life
            let renewed = try #require(try bearer(try await h.browser.get(url, headers: [("X-CSRF", "1")])))
            #expect(!first.contains(renewed), "a new token before the old one expired")
            #expect(await h.provider.currentGrantCounts().clientCredentials == 2)

            try await Task.sleep(for: .milliseconds(2200))
            await h.provider.forceNextTokenResponses([.serverError])
            let failed = try await h.browser.get(url, headers: [("X-CSRF", "1")])
            #expect(failed.status == 502)
            #expect(!failed.body.contains("Bearer"))
            #expect(try bearer(try await h.browser.get(url, headers: [("X-CSRF", "1")]))?.hasPrefix("Bearer ") == true, "the next call tries again")
        }
    }

    @Test("a method outside the route's list is 405; the upstream is not called")
    func methodNotAllowed() async throws {
        try await GatehouseHarness.run(routes: Self.routes) { h in
            let page = try await h.browser.send(h.gatehouse + "/public/x", method: .DELETE, headers: [("X-CSRF", "1")])
            #expect(page.status == 405)
            #expect(page.body.contains("method_not_allowed"))
        }
    }

    @Test("an unreachable upstream is 502 JSON; a slow one is 504 after the route's timeout; the session survives both")
    func upstreamFailures() async throws {
        try await GatehouseHarness.run(routes: Self.routes) { h in
            try await h.login()
            let down = try await h.browser.get(h.gatehouse + "/down/x", headers: [("X-CSRF", "1")])
            #expect(down.status == 502)
            #expect(down.headers.first(name: "Content-Type") == "application/json")
            // The upstream answers 200 after 3 s: a 504 is the route's 1 s timeout.
            let slow = try await h.browser.get(h.gatehouse + "/api/slow", headers: [("X-CSRF", "1")])
            #expect(slow.status == 504)
            #expect(try await h.user().status == 200)
        }
    }

    @Test("server-sent events reach the browser chunk by chunk, and a 5 MiB upload streams through")
    func streaming() async throws {
        try await GatehouseHarness.run(routes: Self.routes) { h in
            try await h.login()
            var request = HTTPClientRequest(url: h.gatehouse + "/api/events")
            request.headers.add(name: "X-CSRF", value: "1")
            request.headers.add(name: "Cookie", value: "gatehouse=\(h.sessionCookie ?? "")")
            let started = ContinuousClock.now
            let response = try await h.browser.http.execute(request, timeout: .seconds(10))
            var arrivals: [Duration] = []
            var text = ""
            for try await chunk in response.body {
                arrivals.append(ContinuousClock.now - started)
                text += String(buffer: chunk)
            }
            #expect(text.contains("event 0") && text.contains("event 2"))
            let first = try #require(arrivals.first)
            let last = try #require(arrivals.last)
            #expect(last - first >= .milliseconds(600), "the first event arrived well before the last was sent")

            var upload = HTTPClientRequest(url: h.gatehouse + "/open/upload")
            upload.method = .POST
            upload.headers.add(name: "X-CSRF", value: "1")
            upload.body = .bytes(ByteBuffer(repeating: 0x61, count: 5 << 20))
            let answer = try await h.browser.http.execute(upload, timeout: .seconds(30))
            let body = try await answer.body.collect(upTo: 1 << 20)
            let seen = try #require(try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any])
            #expect(seen["body_bytes"] as? Int == 5 << 20)
        }
    }
}

import DevOpenIDProvider
import Foundation
import GatehouseRedis
@testable import GatehouseServer
import GatehouseTestSupport
import Testing

/// PRODUCT.md "Hostile input", tried from the outside over real sockets against the in-process
/// server with a real redis-server and the development provider.
@Suite("Hostile input: paths, headers, cookies, slow clients, anonymous logins")
struct HostileInputTests {
    static func routes(_ upstream: URL) -> [Route] {
        let base = upstream.absoluteString
        return [
            Route(path: "/api/", upstream: upstream),
            Route(path: "/public/", upstream: URL(string: base + "any")!, token: .none, methods: [.get], stripPrefix: true),
            Route(path: "/ws/", upstream: URL(string: base + "any")!, token: .none, websocket: true),
        ]
    }

    private static func port(_ h: GatehouseHarness) -> Int { URL(string: h.gatehouse)!.port! }

    private static func rawGET(_ h: GatehouseHarness, _ target: String, extra: String = "") async -> String {
        let cookie = h.sessionCookie.map { "Cookie: \(h.configuration.session.cookieName)=\($0)\r\n" } ?? ""
        return await RawHTTP.exchange(
            port: port(h), request: "GET \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\nX-CSRF: 1\r\n\(cookie)\(extra)Connection: close\r\n\r\n"
        )
    }

    static let crafted = [
        "/api/../admin", "/api/%2e%2e/admin", "/api/..%2fadmin", "/api/x/%2e%2e/%2e%2e/admin", "/api/.%2E/admin",
        "/api/..;/admin", "/api/./headers", "/api/%2fadmin", "/api/%5cadmin", "/api/a\\b", "/api/%00x", "/api/x%zz",
        "/bff/%2e%2e/bff/user", "/bff/./user", "/public/..", "http://127.0.0.1/api/headers", "*",
    ]

    @Test("dot segments, encoded slashes and backslashes, NUL, bad escapes and non-origin targets are 400 before any route, and nothing is forwarded")
    func craftedTargets() async throws {
        try await GatehouseHarness.run(routes: Self.routes) { h in
            try await h.login()
            for target in Self.crafted {
                let answer = await Self.rawGET(h, target)
                #expect(answer.hasPrefix("HTTP/1.1 400"), "\(target) → \(answer.prefix(40))")
                #expect(answer.contains(#""error":"invalid_request""#), "\(target): Gatehouse's own answer, not the upstream's")
                #expect(!answer.contains("Bearer"), "\(target)")
            }
            // The same on a WebSocket upgrade, before the upgrade gate sees it.
            let upgrade = await Self.rawGET(h, "/ws/%2e%2e/x", extra: "Upgrade: websocket\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nOrigin: \(h.gatehouse)\r\n")
            #expect(upgrade.hasPrefix("HTTP/1.1 400"), "\(upgrade.prefix(40))")
            // A canonical path still passes, and the upstream receives exactly the matched path.
            let plain = await Self.rawGET(h, "/public/a%20b/c?x=%2F")
            #expect(plain.hasPrefix("HTTP/1.1 200"), "\(plain.prefix(60))")
            #expect(plain.contains(#""path":"\/any\/a%20b\/c""#) || plain.contains(#""path":"/any/a%20b/c""#), "\(plain)")
        }
    }

    @Test("/bff endpoints are matched exactly: a trailing or doubled slash is 404 and never reaches the endpoint without its CSRF check")
    func bffExactPaths() async throws {
        try await GatehouseHarness.run { h in
            try await h.login()
            let cookie = "\(h.configuration.session.cookieName)=\(try #require(h.sessionCookie))"
            for (method, path) in [("POST", "/bff/logout/"), ("POST", "//bff/logout"), ("GET", "//bff/user"), ("GET", "/bff/user/"), ("GET", "/bff//user")] {
                let answer = await RawHTTP.exchange(
                    port: Self.port(h), request: "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: \(cookie)\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                )
                #expect(answer.hasPrefix("HTTP/1.1 404"), "\(method) \(path) → \(answer.prefix(40))")
            }
            #expect(try await h.user().status == 200, "the session survived")
            #expect(try await h.browser.post(h.gatehouse + "/bff/logout", form: []).status == 403, "the real endpoint still wants the header")
        }
    }

    @Test("more than limits.max_header_count headers is 431, on plain HTTP and on the WebSocket pipeline; the limit itself passes")
    func tooManyHeaders() async throws {
        for routes in [ProxyTests.routes, Self.routes] as [@Sendable (URL) -> [Route]] {
            try await GatehouseHarness.run(routes: routes) { h in
                let many = (0..<2000).map { "X-Filler-\($0): \(String(repeating: "v", count: 10))\r\n" }.joined()
                let refused = await RawHTTP.exchange(port: Self.port(h), request: "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\(many)\r\n")
                #expect(refused.hasPrefix("HTTP/1.1 431"), "\(refused.prefix(40))")
                let overBy1 = (0..<100).map { "X-Filler-\($0): v\r\n" }.joined()
                #expect(await RawHTTP.exchange(port: Self.port(h), request: "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\(overBy1)\r\n").hasPrefix("HTTP/1.1 431"))
                let atLimit = (0..<98).map { "X-Filler-\($0): v\r\n" }.joined()
                let passed = await RawHTTP.exchange(port: Self.port(h), request: "GET /bff/user HTTP/1.1\r\nHost: 127.0.0.1\r\n\(atLimit)Connection: close\r\n\r\n")
                #expect(passed.hasPrefix("HTTP/1.1 403"), "100 headers reach the endpoint: \(passed.prefix(40))")
            }
        }
    }

    @Test("two session cookies of Gatehouse's name are no session, whichever comes first")
    func duplicateSessionCookies() async throws {
        try await GatehouseHarness.run { h in
            try await h.login()
            let name = h.configuration.session.cookieName
            let valid = try #require(h.sessionCookie)
            for cookie in ["\(name)=\(valid); \(name)=\(valid)", "\(name)=\(valid); other=1; \(name)=tossed", "\(name)=tossed; \(name)=\(valid)"] {
                let user = await Self.rawGETWithCookie(h, "/bff/user", cookie: cookie)
                #expect(user.hasPrefix("HTTP/1.1 401"), "\(cookie) → \(user.prefix(40))")
                let api = await Self.rawGETWithCookie(h, "/api/headers", cookie: cookie)
                #expect(api.hasPrefix("HTTP/1.1 401"), "\(api.prefix(40))")
            }
            #expect(await Self.rawGETWithCookie(h, "/bff/user", cookie: "\(name)=\(valid); other=1").hasPrefix("HTTP/1.1 200"))
        }
    }

    private static func rawGETWithCookie(_ h: GatehouseHarness, _ target: String, cookie: String) async -> String {
        await RawHTTP.exchange(port: port(h), request: "GET \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\nX-CSRF: 1\r\nCookie: \(cookie)\r\nConnection: close\r\n\r\n")
    }

    @Test("headers that steer upstreams (client address, URL rewrites, method overrides, X-Forwarded-*) never pass")
    func steeringHeaders() async throws {
        try await GatehouseHarness.run(routes: Self.routes) { h in
            let steering = [
                "X-Real-IP", "True-Client-IP", "X-Client-IP", "X-Original-URL", "X-Rewrite-URL", "X-HTTP-Method-Override", "X-HTTP-Method",
                "X-Method-Override", "X-Forwarded-Port", "X-Forwarded-Prefix", "X-Forwarded-Server", "X-Forwarded-Ssl",
            ]
            let page = try await h.browser.get(h.gatehouse + "/public/x", headers: steering.map { ($0, $0 == "X-Original-URL" ? "/admin" : "DELETE") } + [("X-CSRF", "1")])
            #expect(page.status == 200)
            let seen = try #require(try JSONSerialization.jsonObject(with: Data(page.body.utf8)) as? [String: Any])
            let headers = try #require(seen["headers"] as? [String: String])
            for name in steering { #expect(headers[name.lowercased()] == nil, "\(name) was forwarded") }
            #expect(seen["method"] as? String == "GET")
            #expect(headers["x-forwarded-for"] == "127.0.0.1", "Gatehouse's own X-Forwarded-* are still set")
        }
    }

    @Test("200 half-sent request heads are closed after header_read_timeout, trickled bytes do not extend it, and normal requests keep working")
    func slowloris() async throws {
        let limits = ListenerLimits(headerReadTimeout: .seconds(1), keepAliveTimeout: .seconds(3))
        try await GatehouseHarness.run(configure: { $0.limits = limits }) { h in
            let held = try await HeldConnections.open(count: 200, port: Self.port(h), sending: "GET /bff/user HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            defer { held.closeAll() }
            // Meanwhile an honest client is served.
            #expect(try await h.user().status == 401)
            // One more header line every 300 ms for 6 s: a per-byte timer would not fire before the
            // trickle ends, the head deadline fires after 1 s.
            let trickle = Task {
                for index in 0..<20 {
                    try await Task.sleep(for: .milliseconds(300))
                    await held.sendAll("X-Drip-\(index): 1\r\n")
                }
            }
            let closed = await held.waitForServerClose(timeout: .seconds(5))
            trickle.cancel()
            #expect(closed == 200, "every held connection was closed while its head still trickled")
            #expect(try await h.user().status == 401, "the listener still serves")
        }
    }

    @Test("beyond limits.max_connections a new connection waits in the accept queue and is served once a slot frees")
    func connectionCap() async throws {
        let limits = ListenerLimits(headerReadTimeout: .seconds(2), maxConnections: 5)
        try await GatehouseHarness.run(configure: { $0.limits = limits }) { h in
            // SwiftNIO accepts up to 4 connections per wake-up before the cap is consulted again, so
            // up to 3 beyond it may be accepted in one burst: 8 held connections fill every slot.
            let held = try await HeldConnections.open(count: 8, port: Self.port(h), sending: "GET /bff/user HTTP/1.1\r\n")
            defer { held.closeAll() }
            let opened = ContinuousClock.now
            let waiting = Task { () -> (String, ContinuousClock.Instant) in
                let answer = await RawHTTP.exchange(port: Self.port(h), request: "GET /bff/user HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", timeout: .seconds(15))
                return (answer, .now)
            }
            #expect(await held.waitForServerClose(timeout: .seconds(12)) == 8)
            let (answer, answeredAt) = await waiting.value
            #expect(answer.hasPrefix("HTTP/1.1 403"), "served once a slot was free: \(answer.prefix(40))")
            // The held ones keep every slot until their 2 s head deadline; a load only makes this later.
            #expect(answeredAt - opened >= .milliseconds(1500), "not served while the held connections took every slot")
        }
    }

    @Test("an idle keep-alive connection lives for keep_alive_timeout, not header_read_timeout, and is then closed")
    func keepAliveIdle() async throws {
        let limits = ListenerLimits(headerReadTimeout: .seconds(1), keepAliveTimeout: .seconds(3))
        try await GatehouseHarness.run(configure: { $0.limits = limits }) { h in
            let held = try await HeldConnections.open(count: 1, port: Self.port(h), sending: "GET /bff/user HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            defer { held.closeAll() }
            #expect(await held.waitForServerClose(timeout: .milliseconds(1800)) == 0, "idle past the head timeout, still open")
            #expect(await held.waitForServerClose(timeout: .seconds(6)) == 1, "closed after the keep-alive timeout")
        }
    }

    @Test("a back-channel logout body that trickles is answered 408 after limits.body_read_timeout")
    func slowBody() async throws {
        let limits = ListenerLimits(bodyReadTimeout: .seconds(1))
        try await GatehouseHarness.run(configure: { $0.limits = limits }) { h in
            let answer = await RawHTTP.exchange(
                port: Self.port(h),
                request: "POST /bff/backchannel-logout HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 500\r\n\r\nlogout_token=",
                timeout: .seconds(6)
            )
            #expect(answer.hasPrefix("HTTP/1.1 408"), "\(answer.prefix(40))")
        }
    }

    @Test("an anonymous GET /bff/login costs at most 1 KiB of Redis for at most 10 minutes; a returnUrl over 512 bytes falls back to /")
    func anonymousLoginCost() async throws {
        try await GatehouseHarness.run { h in
            let long = "/" + String(repeating: "a", count: 4000)
            let before = try await h.redisClient.send([Array("DBSIZE".utf8)]).integer ?? 0
            for _ in 0..<300 {
                let page = try await h.browser.get(h.gatehouse + "/bff/login?returnUrl=" + long)
                #expect(page.status == 302)
            }
            let keys = try await h.redisClient.send([Array("KEYS".utf8), Array("gatehouse:login:*".utf8)])
            guard case .array(let names) = keys else { Issue.record("KEYS answered \(keys)"); return }
            let after = try await h.redisClient.send([Array("DBSIZE".utf8)]).integer ?? 0
            #expect(after - before == 300, "one key per login")
            for case .bulkString(let name) in names.prefix(20) {
                let usage = try await h.redisClient.send([Array("MEMORY".utf8), Array("USAGE".utf8), name]).integer ?? .max
                #expect(usage <= 1024, "\(usage) bytes")
                let ttl = try await h.redisClient.pttl(String(decoding: name, as: UTF8.self))
                #expect(ttl > 0 && ttl <= 600_000)
            }
            // 513 bytes: not kept; the login ends at /.
            let callback = try await h.login(returnURL: "/" + String(repeating: "b", count: 512))
            #expect(callback.location == "/")
            #expect(try await h.login(returnURL: "/" + String(repeating: "b", count: 511)).location?.count == 512)
        }
    }

    @Test("an oversized code or state is 400 without a call to the provider")
    func oversizedCallbackParameters() async throws {
        try await GatehouseHarness.run { h in
            let (_, state) = try await h.startLogin()
            await h.provider.resetGrantCounts()
            let big = String(repeating: "c", count: 2049)
            // With the right iss, only the length stands between these and a code exchange.
            let iss = "&iss=" + (h.issuer.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
            #expect(try await h.browser.get(h.gatehouse + "/bff/callback?code=\(big)&state=\(state)\(iss)").status == 400)
            #expect(try await h.browser.get(h.gatehouse + "/bff/callback?code=abc&state=\(big)\(iss)").status == 400)
            let huge = try await h.browser.get(h.gatehouse + "/bff/callback?code=\(String(repeating: "c", count: 100_000))&state=\(state)")
            #expect(huge.status == 400, "\(huge.status) \(huge.body.prefix(200))")
            #expect(await h.provider.currentGrantCounts().authorizationCode == 0)
        }
    }
}

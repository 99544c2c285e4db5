import DevOpenIDProvider
import Foundation
@testable import GatehouseServer
import GatehouseTestSupport
import NIOHTTP1
import Testing

/// PRODUCT.md "Authorization per route": `require` rules on every call, over real HTTP with the
/// development provider (demo is in group demo-users; erin in staff and orders-admins) and Redis.
@Suite("Authorization per route: require rules and step-up")
struct RouteAuthorizationTests {
    static let mfa = DevOpenIDProvider.multiFactorACR

    static func routes(_ upstream: URL) -> [Route] {
        let any = URL(string: upstream.absoluteString + "any")!
        return [
            Route(path: "/admins/", upstream: any, stripPrefix: true, require: .init(claims: ["groups": ["orders-admins"]])),
            Route(path: "/named/", upstream: any, stripPrefix: true, require: .init(claims: ["preferred_username": ["erin"]])),
            Route(path: "/dept/", upstream: any, stripPrefix: true, require: .init(claims: ["department": ["sales"]])),
            // Forwarding here would be 502: a 403 proves the rule is checked before anything is sent.
            Route(path: "/guarded-down/", upstream: URL(string: "http://127.0.0.1:1/")!, require: .init(claims: ["groups": ["orders-admins"]])),
            Route(path: "/reader/", upstream: any, stripPrefix: true, require: .init(scopes: ["orders.read"])),
            Route(path: "/writer/", upstream: any, stripPrefix: true, require: .init(scopes: ["orders.read", "orders.write"])),
            Route(path: "/public-staff/", upstream: any, token: .none, stripPrefix: true, require: .init(claims: ["groups": ["staff"]])),
            Route(path: "/mfa/", upstream: any, stripPrefix: true, require: .init(acr: [mfa])),
            Route(path: "/recent/", upstream: any, stripPrefix: true, require: .init(maxAge: .seconds(10))),
            // WebSocket routes to no upstream: 502 means the rule held and the upgrade went on to connect.
            Route(path: "/ws-recent/", upstream: URL(string: "http://127.0.0.1:1/")!, websocket: true, require: .init(maxAge: .seconds(10))),
            Route(path: "/ws-writer/", upstream: URL(string: "http://127.0.0.1:1/")!, websocket: true, require: .init(scopes: ["orders.write"])),
        ]
    }

    private static func json(_ page: TestBrowser.Page) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(page.body.utf8)) as? [String: Any]) ?? [:]
    }

    private static func call(_ h: GatehouseHarness, _ path: String, in browser: TestBrowser? = nil, referer: String? = nil) async throws -> TestBrowser.Page {
        var headers = [("X-CSRF", "1")]
        if let referer { headers.append(("Referer", referer)) }
        return try await (browser ?? h.browser).get(h.gatehouse + path, headers: headers)
    }

    @Test("claims rules: a list claim holding the value, a string claim, a missing claim; 403 names the rule, never the user's values; nothing is forwarded")
    func claims() async throws {
        try await GatehouseHarness.run(routes: Self.routes) { h in
            #expect(try await Self.call(h, "/admins/x").status == 401, "no session, no rule can hold")
            try await h.login()
            for path in ["/admins/x", "/named/x", "/dept/x", "/guarded-down/x"] {
                let refused = try await Self.call(h, path)
                #expect(refused.status == 403, "\(path)")
                #expect(Self.json(refused)["error"] as? String == "insufficient_claims")
                #expect(!refused.body.contains("demo-users") && !refused.body.contains("\"demo\""), "the user's values stay out of the answer")
            }
            #expect((Self.json(try await Self.call(h, "/admins/x"))["message"] as? String)?.contains("claims.groups") == true)
            #expect((Self.json(try await Self.call(h, "/dept/x"))["message"] as? String)?.contains("claims.department") == true)

            let erin = TestBrowser()
            defer { Task { try? await erin.shutdown() } }
            try await h.login(as: GatehouseHarness.otherUser, in: erin)
            #expect(try await Self.call(h, "/admins/x", in: erin).status == 200, "groups is a list holding orders-admins")
            #expect(try await Self.call(h, "/named/x", in: erin).status == 200, "preferred_username is the string erin")
            #expect(try await Self.call(h, "/dept/x", in: erin).status == 403, "a claim the user lacks fails")
            let staff = try await Self.call(h, "/public-staff/x", in: erin)
            #expect(staff.status == 200, "token: none still checks the rule")
            #expect((Self.json(staff)["headers"] as? [String: String])?["authorization"] == nil, "and forwards no token")
            #expect(try await Self.call(h, "/public-staff/x").status == 403)
        }
    }

    @Test("scopes rules use the scope the provider granted")
    func scopes() async throws {
        try await GatehouseHarness.run(configure: { $0.oidc.scopes.append("orders.read") }, routes: Self.routes) { h in
            try await h.login()
            #expect(try await Self.call(h, "/reader/x").status == 200)
            let writer = try await Self.call(h, "/writer/x")
            #expect(writer.status == 403)
            #expect((Self.json(writer)["message"] as? String)?.contains("scopes") == true)
        }
    }

    @Test("acr: 401 step_up_required with a login_url; following it (password, then the second factor) ends with a session that passes")
    func stepUpRoundTrip() async throws {
        try await GatehouseHarness.run(routes: Self.routes) { h in
            try await h.login()
            let refused = try await Self.call(h, "/mfa/orders", referer: h.gatehouse + "/orders?tab=2")
            #expect(refused.status == 401)
            let body = Self.json(refused)
            #expect(body["error"] as? String == "step_up_required")
            let loginURL = try #require(body["login_url"] as? String)
            let query = try #require(URLComponents(string: loginURL)?.queryItems)
            #expect(loginURL.hasPrefix("/bff/login?"))
            #expect(query.first { $0.name == "acr_values" }?.value == Self.mfa)
            #expect(query.first { $0.name == "returnUrl" }?.value == "/orders?tab=2", "back to the page that made the call")

            let start = try await h.browser.get(h.gatehouse + loginURL)
            let authorize = try #require(start.location)
            #expect(URLComponents(string: authorize)?.queryItems?.first { $0.name == "acr_values" }?.value == Self.mfa, "passed on to the provider")
            let page = try await h.browser.get(authorize)
            let secondStep = try await h.submitLogin(page)
            #expect(secondStep.status == 200 && secondStep.body.contains("one-time code"), "the provider asks for the second factor")
            let requestID = try #require(GatehouseHarness.hiddenField("request_id", in: secondStep.body))
            let toCallback = try await h.browser.post(h.issuer + "/authorize", form: [("request_id", requestID), ("otp", DevOpenIDProvider.User.demo.oneTimeCode), ("action", "login")])
            let back = try await h.browser.get(try #require(toCallback.location))
            #expect(back.location == "/orders?tab=2")
            #expect(try await Self.call(h, "/mfa/orders").status == 200, "the new session satisfies the route")
            #expect(try await Self.call(h, "/admins/x").status == 403, "and the other rules still apply")
        }
    }

    @Test("max_age (HTTP and WebSocket): passes right after login, asks for a step-up once auth_time is older; scopes on an upgrade; /bff/login passes on only acr_values and max_age a route asks for")
    func maxAge() async throws {
        try await GatehouseHarness.run(routes: Self.routes) { h in
            try await h.login()
            #expect(try await Self.call(h, "/recent/x").status == 200)
            await #expect(throws: WebSocketUpstream.Failure.refused(.badGateway), "the rule holds; the dead upstream answers") {
                _ = try await WebSocketUpstream.connect(url: URL(string: h.gatehouse + "/ws-recent/x")!, headers: h.browserUpgradeHeaders(), maxFrameSize: 1 << 16, timeout: .seconds(10))
            }
            await #expect(throws: WebSocketUpstream.Failure.refused(.forbidden), "scopes on an upgrade") {
                _ = try await WebSocketUpstream.connect(url: URL(string: h.gatehouse + "/ws-writer/x")!, headers: h.browserUpgradeHeaders(), maxFrameSize: 1 << 16, timeout: .seconds(10))
            }
            try await Task.sleep(for: .seconds(12))
            await #expect(throws: WebSocketUpstream.Failure.refused(.unauthorized), "max_age on an upgrade") {
                _ = try await WebSocketUpstream.connect(url: URL(string: h.gatehouse + "/ws-recent/x")!, headers: h.browserUpgradeHeaders(), maxFrameSize: 1 << 16, timeout: .seconds(10))
            }
            let refused = try await Self.call(h, "/recent/x")
            #expect(refused.status == 401)
            #expect(Self.json(refused)["error"] as? String == "step_up_required")
            let loginURL = try #require(Self.json(refused)["login_url"] as? String)
            #expect(URLComponents(string: loginURL)?.queryItems?.first { $0.name == "max_age" }?.value == "10")
            #expect(URLComponents(string: loginURL)?.queryItems?.first { $0.name == "returnUrl" }?.value == "/", "no Referer: back to /")

            let start = try await h.browser.get(h.gatehouse + loginURL)
            #expect(URLComponents(string: try #require(start.location))?.queryItems?.first { $0.name == "max_age" }?.value == "10")
            let page = try await h.browser.get(try #require(start.location))
            let back = try await h.browser.get(try #require(try await h.submitLogin(page).location))
            #expect(back.status == 302)
            #expect(try await Self.call(h, "/recent/x").status == 200, "a fresh login satisfies max_age")

            let foreign = try await h.browser.get(h.gatehouse + "/bff/login?acr_values=urn%3Aother&max_age=7")
            let items = URLComponents(string: try #require(foreign.location))?.queryItems ?? []
            #expect(!items.contains { $0.name == "acr_values" || $0.name == "max_age" }, "values no route asks for are not passed on")
        }
    }

    @Test("WebSocket upgrades meet the same rules: 403 for a failed claim, 401 for a step-up, 101 when they hold")
    func webSockets() async throws {
        try await withEchoUpstream { echo in
            let routes: @Sendable (URL) -> [Route] = { _ in
                let ws = URL(string: "http://127.0.0.1:\(echo.port)/")!
                return [
                    Route(path: "/ws-admins/", upstream: ws, stripPrefix: true, websocket: true, require: .init(claims: ["groups": ["orders-admins"]])),
                    Route(path: "/ws-mfa/", upstream: ws, stripPrefix: true, websocket: true, require: .init(acr: [Self.mfa])),
                ]
            }
            try await GatehouseHarness.run(routes: routes) { h in
                try await h.login()
                await #expect(throws: WebSocketUpstream.Failure.refused(.forbidden)) {
                    _ = try await WebSocketUpstream.connect(url: URL(string: h.gatehouse + "/ws-admins/echo")!, headers: h.browserUpgradeHeaders(), maxFrameSize: 1 << 16, timeout: .seconds(10))
                }
                await #expect(throws: WebSocketUpstream.Failure.refused(.unauthorized)) {
                    _ = try await WebSocketUpstream.connect(url: URL(string: h.gatehouse + "/ws-mfa/echo")!, headers: h.browserUpgradeHeaders(), maxFrameSize: 1 << 16, timeout: .seconds(10))
                }
                h.browser.clearCookies()
                try await h.login(as: GatehouseHarness.otherUser)
                let (socket, _) = try await WebSocketUpstream.connect(
                    url: URL(string: h.gatehouse + "/ws-admins/echo")!, headers: h.browserUpgradeHeaders(), maxFrameSize: 1 << 16, timeout: .seconds(10)
                )
                try await socket.executeThenClose { _, outbound in
                    try await outbound.write(WebSocketRelay.closeFrame(.normalClosure, masked: true))
                }
            }
        }
    }
}

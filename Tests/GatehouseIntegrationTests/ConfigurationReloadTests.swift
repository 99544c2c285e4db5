import DevOpenIDProvider
import Foundation
@testable import GatehouseServer
import GatehouseSessions
import GatehouseTestSupport
import Testing

/// PRODUCT.md "Operations": a reload applies routes, `require` rules and encryption keys to the
/// running process — here through the reloader `SIGHUP` calls, over real HTTP with Redis and the
/// development provider. ``ReloadBySignalTests`` sends the signal to the real binary.
@Suite("Configuration reload: routes, rules and keys change live; an invalid file changes nothing")
struct ConfigurationReloadTests {
    static let csrf = [("X-CSRF", "1")]

    static func reloads(_ h: GatehouseHarness) async throws -> (ok: Int, failed: Int) {
        let text = try await h.browser.get(h.admin + "/metrics").body
        func value(_ result: String) -> Int {
            let prefix = "gatehouse_config_reloads_total{result=\"\(result)\"} "
            return text.split(separator: "\n").first { $0.hasPrefix(prefix) }.flatMap { Int($0.dropFirst(prefix.count)) } ?? -1
        }
        return (value("ok"), value("failed"))
    }

    @Test("a route added by a reload proxies at once, a removed one answers 404, and require rules apply from the next request")
    func routesLive() async throws {
        try await GatehouseHarness.run { h in
            try await h.login()
            #expect(try await h.browser.get(h.gatehouse + "/api/echo", headers: Self.csrf).status == 200)
            #expect(try await Self.reloads(h) == (0, 0), "both outcomes exist at zero from start")
            let old = try #require(h.configuration.routes.first)
            let apiUpstream = try #require(URL(string: old.upstream.absoluteString + "api/"))
            let moved = Route(path: "/v2/", upstream: apiUpstream, stripPrefix: true)
            try h.file.replace(GatehouseHarness.yaml(old), with: GatehouseHarness.yaml(moved))
            let plan = try h.reloader.reload().get()
            #expect(plan.applied == ["routes"])
            #expect(plan.needsRestart.isEmpty)

            let moved200 = try await h.browser.get(h.gatehouse + "/v2/echo", headers: Self.csrf)
            #expect(moved200.status == 200)
            #expect(moved200.body.contains("\"path\":\"\\/api\\/echo\""), "forwarded under the new route's upstream: \(moved200.body)")
            #expect(try await h.browser.get(h.gatehouse + "/api/echo", headers: Self.csrf).status == 404, "the removed route proxies nothing")
            #expect(try await Self.reloads(h) == (1, 0))

            // A rule added to the live route: the same session is refused from the next call on.
            let guarded = Route(path: "/v2/", upstream: apiUpstream, stripPrefix: true, require: .init(claims: ["groups": ["orders-admins"]]))
            try h.file.replace(GatehouseHarness.yaml(moved), with: GatehouseHarness.yaml(guarded))
            _ = try h.reloader.reload().get()
            #expect(try await h.browser.get(h.gatehouse + "/v2/echo", headers: Self.csrf).status == 403)
        }
    }

    @Test("an invalid file changes nothing: the problem names its key path, the old routes keep proxying, the failure is counted")
    func invalidFileChangesNothing() async throws {
        try await GatehouseHarness.run { h in
            try await h.login()
            let route = try #require(h.configuration.routes.first)
            let good = h.file.text
            // A valid new route next to an invalid key: none of it applies.
            try h.file.replace(GatehouseHarness.yaml(route), with: GatehouseHarness.yaml(route) + "\n" + """
                  - path: /new/
                    upstream: ftp://127.0.0.1:1/
                """)
            try h.file.replace("idle_timeout: 10m", with: "idle_timeout: 20m")
            let result = h.reloader.reload()
            guard case .failure(let error) = result else {
                Issue.record("an ftp upstream was accepted")
                return
            }
            #expect(error.problems.map(\.keyPath) == ["routes[1].upstream"])
            #expect(try await h.browser.get(h.gatehouse + "/api/echo", headers: Self.csrf).status == 200)
            #expect(try await h.browser.get(h.gatehouse + "/new/x", headers: Self.csrf).status == 404)
            #expect(try await Self.reloads(h) == (0, 1))
            #expect(h.reloader.configuration == h.configuration, "the configuration in force is the start one")

            // The same file fixed: a key only a restart applies is reported, the rest applies.
            h.file.text = good
            try h.file.replace("idle_timeout: 10m", with: "idle_timeout: 20m")
            let plan = try h.reloader.reload().get()
            #expect(plan.needsRestart == ["session.idle_timeout"])
            #expect(h.reloader.configuration.session.idleTimeout == .seconds(600), "it keeps its old value until a restart")
            #expect(try await Self.reloads(h) == (1, 1))
        }
    }

    @Test("a key rotation by reload keeps old sessions readable; dropping the old key ends the sessions it sealed, cached ones too")
    func keyRotation() async throws {
        try await GatehouseHarness.run { h in
            try await h.login()
            #expect(try await h.browser.get(h.gatehouse + "/api/echo", headers: Self.csrf).status == 200, "sealed with the first key, now cached")
            let oldKey = try #require(h.file.text.firstMatch(of: /encryption_keys: \["([^"]+)"\]/)).1
            let newKey = SessionCipherKey.generateBase64()
            try h.file.replace("encryption_keys: [\"\(oldKey)\"]", with: "encryption_keys: [\"\(newKey)\", \"\(oldKey)\"]")
            #expect(try h.reloader.reload().get().applied == ["session.encryption_keys"])
            #expect(try await h.browser.get(h.gatehouse + "/api/echo", headers: Self.csrf).status == 200, "the old key still opens")

            let second = TestBrowser()
            defer { Task { try? await second.shutdown() } }
            try await h.login(as: GatehouseHarness.otherUser, in: second)
            #expect(try await second.get(h.gatehouse + "/api/echo", headers: Self.csrf).status == 200, "sealed with the new key")

            try h.file.replace("encryption_keys: [\"\(newKey)\", \"\(oldKey)\"]", with: "encryption_keys: [\"\(newKey)\"]")
            _ = try h.reloader.reload().get()
            #expect(try await h.browser.get(h.gatehouse + "/api/echo", headers: Self.csrf).status == 401, "sealed only with the dropped key")
            #expect(try await second.get(h.gatehouse + "/api/echo", headers: Self.csrf).status == 200)
        }
    }
}

import Foundation
@testable import GatehouseServer
import Logging
import Testing

/// What a reload applies and what it leaves for a restart, decided without I/O.
@Suite("Reload plan: reloadable keys apply, the others wait for a restart")
struct ReloadPlanTests {
    static func load(_ yaml: String) throws -> GatehouseConfiguration {
        try ConfigurationLoader(environment: [:]).load(yaml: yaml)
    }

    @Test("the same file: nothing applied, nothing to restart")
    func unchanged() throws {
        let configuration = try Self.load(productExampleYAML)
        let plan = ReloadPlan(from: configuration, to: configuration, webSocketsEnabled: false)
        #expect(plan.applied.isEmpty && plan.needsRestart.isEmpty)
        #expect(plan.result == configuration)
    }

    @Test("routes, encryption keys and the log level apply; the result carries them")
    func reloadable() throws {
        let old = try Self.load(productExampleYAML)
        let new = try Self.load(productExampleYAML
            .replacingOccurrences(of: "path: /api/", with: "path: /v2/")
            .replacingOccurrences(of: "[\"\(Secrets.keyOneBase64)\", \"\(Secrets.keyTwoBase64)\"]", with: "[\"\(Secrets.keyTwoBase64)\"]")
            .replacingOccurrences(of: "level: info", with: "level: debug"))
        let plan = ReloadPlan(from: old, to: new, webSocketsEnabled: false)
        #expect(plan.applied == ["routes", "session.encryption_keys", "log.level"])
        #expect(plan.needsRestart.isEmpty)
        #expect(plan.result == new)
    }

    @Test("turning tls on or off needs a restart; new paths for its files apply")
    func tls() throws {
        let plain = try Self.load(productExampleYAML)
        var https = plain
        https.tls = ListenerTLSSettings(certificateFile: "/run/secrets/tls.crt", keyFile: "/run/secrets/tls.key")
        let on = ReloadPlan(from: plain, to: https, webSocketsEnabled: false)
        #expect(on.needsRestart == ["tls"] && on.applied.isEmpty && on.result.tls == nil)
        #expect(ReloadPlan(from: https, to: plain, webSocketsEnabled: false).needsRestart == ["tls"])
        var moved = https
        moved.tls?.certificateFile = "/run/secrets/renewed.crt"
        let renamed = ReloadPlan(from: https, to: moved, webSocketsEnabled: false)
        #expect(renamed.applied == ["tls"] && renamed.needsRestart.isEmpty && renamed.result.tls == moved.tls)
    }

    @Test("listen, admin_listen, session.store and every other key are reported by key path and keep their old value")
    func restartNeeded() throws {
        let old = try Self.load(productExampleYAML)
        let new = try Self.load(productExampleYAML
            .replacingOccurrences(of: "listen: 0.0.0.0:8080", with: "listen: 0.0.0.0:8081")
            .replacingOccurrences(of: "admin_listen: 127.0.0.1:9091", with: "admin_listen: 127.0.0.1:9092")
            .replacingOccurrences(of: "@127.0.0.1:6379/0", with: "@127.0.0.1:6380/0")
            .replacingOccurrences(of: "client_id: spa-bff", with: "client_id: other")
            .replacingOccurrences(of: "format: json", with: "format: text")
            .replacingOccurrences(of: "level: info", with: "level: debug"))
        let plan = ReloadPlan(from: old, to: new, webSocketsEnabled: false)
        #expect(plan.needsRestart == ["listen", "admin_listen", "oidc", "session.store", "log.format"])
        #expect(plan.applied == ["log.level"])
        var expected = old
        expected.log.level = .debug
        #expect(plan.result == expected)
    }

    @Test("a route gaining websocket: true on a listener started without WebSockets needs a restart; the route applies without it")
    func webSocketNeedsRestart() throws {
        let old = try Self.load(productExampleYAML)
        let new = try Self.load(productExampleYAML.replacingOccurrences(of: "websocket: false", with: "websocket: true"))
        let plan = ReloadPlan(from: old, to: new, webSocketsEnabled: false)
        #expect(plan.needsRestart == ["routes[0].websocket"])
        #expect(plan.result.routes.first?.websocket == false)
        let started = ReloadPlan(from: old, to: new, webSocketsEnabled: true)
        #expect(started.needsRestart.isEmpty)
        #expect(started.result.routes.first?.websocket == true)
    }

    @Test("the log level control: handlers follow it, a level set on one logger stays that logger's")
    func logLevel() {
        let control = LogLevelControl(.warning)
        var logger = Logger(label: "a") { _ in control.handler(wrapping: SwiftLogNoOpLogHandler()) }
        let other = Logger(label: "b") { _ in control.handler(wrapping: SwiftLogNoOpLogHandler()) }
        #expect(other.logLevel == .warning)
        control.level = .debug
        #expect(other.logLevel == .debug)
        logger.logLevel = .error
        control.level = .trace
        #expect(logger.logLevel == .error)
        #expect(other.logLevel == .trace)
    }
}

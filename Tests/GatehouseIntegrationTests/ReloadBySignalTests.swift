import DevOpenIDProvider
import Foundation
import GatehouseTestSupport
import Hummingbird
import Logging
import ServiceLifecycle
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// PRODUCT.md "Operations": `kill -HUP` makes the running binary re-read its file. The in-process
/// ``ConfigurationReloadTests`` cover what a reload applies; this one proves the signal reaches it,
/// that open connections stay open, and what the operator sees in the output and the metrics.
@Suite("SIGHUP reload of the real gatehouse process")
struct ReloadBySignalTests {
    static func upstream(port: Int) -> some ApplicationProtocol {
        TestSurroundings.upstream(port: port, label: "reload-upstream") { router in
            router.get("/**") { request, _ -> String in "upstream saw \(request.uri.path)" }
        }
    }

    static func reloads(_ process: GatehouseProcess, _ result: String) async -> Int? {
        let text = await RawHTTP.exchange(port: process.adminPort, request: "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        let prefix = "gatehouse_config_reloads_total{result=\"\(result)\"} "
        return text.split(separator: "\n").first { $0.hasPrefix(prefix) }.flatMap { Int($0.dropFirst(prefix.count).trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    /// Rewrites the file, sends SIGHUP and waits (10 s at most) for the reload counter `result` to reach `count`.
    static func reload(_ process: GatehouseProcess, replacing old: String, with new: String, until result: String, reaches count: Int) async throws {
        let text = try String(contentsOf: process.configurationFile, encoding: .utf8)
        try #require(text.contains(old), "the file holds \(old)")
        try text.replacingOccurrences(of: old, with: new).write(to: process.configurationFile, atomically: true, encoding: .utf8)
        kill(process.process.processIdentifier, SIGHUP)
        for _ in 0..<100 {
            if await reloads(process, result) == count { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("gatehouse_config_reloads_total{result=\"\(result)\"} did not reach \(count) within 10 s; output: \(process.output.suffix(600))")
    }

    @Test("kill -HUP: a renamed route answers at once, open connections stay open, an invalid file and a restart-only key are reported")
    func sighupReloads() async throws {
        let upstreamPort = try freeLoopbackPort()
        let provider = try DevOpenIDProvider(configuration: .init(clients: []))

        try await TestSurroundings.withProvider(provider, alongside: [Self.upstream(port: upstreamPort)]) { issuer in
            let gatehouse = try await GatehouseProcess.start(issuer: issuer, routes: """
                  - path: /old/
                    upstream: http://127.0.0.1:\(upstreamPort)/
                    token: none
                """)
            defer { gatehouse.stop() }
            let browser = TestBrowser()
            defer { Task { try? await browser.shutdown() } }
            let base = "http://127.0.0.1:\(gatehouse.port)"
            let csrf = [("X-CSRF", "1")]
            let first = try await browser.get(base + "/old/a", headers: csrf)
            #expect(first.body == "upstream saw /old/a", "\(first.status) \(first.body)")
            #expect(await Self.reloads(gatehouse, "ok") == 0, "the counter exists before the first reload")
            let held = try await HeldConnections.open(count: 1, port: gatehouse.port, sending: "GET /old/held HTTP/1.1\r\nHost: x\r\nX-CSRF: 1\r\n\r\n")

            try await Self.reload(gatehouse, replacing: "- path: /old/", with: "- path: /new/", until: "ok", reaches: 1)
            let renamed = try await browser.get(base + "/new/b", headers: csrf)
            #expect(renamed.body == "upstream saw /new/b", "\(renamed.status) \(renamed.body)")
            #expect(try await browser.get(base + "/old/a", headers: csrf).status == 404)
            #expect(await held.waitForServerClose(timeout: .milliseconds(500)) == 0, "a reload closes no connection")

            try await Self.reload(gatehouse, replacing: "token: none", with: "token: none\n    timeout: soon", until: "failed", reaches: 1)
            #expect(gatehouse.output.contains("routes[0].timeout"), "the refusal names the key path: \(gatehouse.output.suffix(600))")
            let kept = try await browser.get(base + "/new/b", headers: csrf)
            #expect(kept.status == 200, "the old configuration stays in force: \(kept.status) \(kept.body)")

            try await Self.reload(gatehouse, replacing: "\n    timeout: soon", with: "", until: "ok", reaches: 2)
            try await Self.reload(gatehouse, replacing: "level: warning", with: "level: warning\n  format: text", until: "ok", reaches: 3)
            #expect(gatehouse.output.contains("config.restart_needed") && gatehouse.output.contains("log.format"), "\(gatehouse.output.suffix(600))")
            #expect(gatehouse.process.isRunning)
        }
    }
}

import AsyncHTTPClient
import DevOpenIDProvider
import Foundation
import GatehouseTestSupport
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Testing

@Suite("Graceful shutdown of the real gatehouse process")
struct GracefulShutdownTests {
    /// The `gatehouse` executable built beside the test bundle.
    static var gatehouseBinary: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("gatehouse").path
    }

    static func slowUpstream(port: Int) -> some ApplicationProtocol {
        let router = Router()
        router.get("/slow/answer") { _, _ -> Response in
            try await Task.sleep(for: .seconds(2))
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "finished after SIGTERM")))
        }
        var quiet = Logger(label: "slow")
        quiet.logLevel = .warning
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)), logger: quiet)
    }

    @Test("SIGTERM during a slow upstream call: the call completes, new connections are refused, exit status 0")
    func sigtermDrains() async throws {
        let binary = Self.gatehouseBinary
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build the gatehouse product first (swift build --build-tests does)")
        let (port, adminPort, upstreamPort) = (try freeLoopbackPort(), try freeLoopbackPort(), try freeLoopbackPort())
        let provider = try DevOpenIDProvider(configuration: .init(clients: []))
        var quiet = Logger(label: "shutdown-test")
        quiet.logLevel = .warning
        let (ready, continuation) = AsyncStream<String>.makeStream()
        let providerApp = provider.makeApplication(host: "127.0.0.1", port: 0, logger: quiet) { continuation.yield($0) }
        let helpers = ServiceGroup(configuration: .init(services: [providerApp, Self.slowUpstream(port: upstreamPort)], logger: quiet))

        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await helpers.run() }
            defer { group.cancelAll() }
            let issuer = try #require(await GatehouseHarness.firstValue(ready))
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-shutdown-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let config = directory.appendingPathComponent("gatehouse.yaml")
            try """
                listen: 127.0.0.1:\(port)
                admin_listen: 127.0.0.1:\(adminPort)
                public_url: http://127.0.0.1:\(port)
                static_dir: \(directory.path)
                oidc:
                  issuer: \(issuer)
                  client_id: shutdown-test
                  client_secret: not-used-here
                session:
                  store: memory
                  encryption_keys: ["\(Data(repeating: 7, count: 32).base64EncodedString())"]
                log:
                  level: warning
                routes:
                  - path: /slow/
                    upstream: http://127.0.0.1:\(upstreamPort)/
                    token: none
                """.write(to: config, atomically: true, encoding: .utf8)

            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = ["serve", "--config", config.path]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            defer { if process.isRunning { process.terminate() } }

            let browser = TestBrowser()
            var up = false
            for _ in 0..<100 where !up {
                up = (try? await browser.get("http://127.0.0.1:\(adminPort)/healthz").status) == 200
                if !up { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(up, "gatehouse serve came up")

            let inFlight = Task { try await browser.get("http://127.0.0.1:\(port)/slow/answer", headers: [("X-CSRF", "1")]) }
            try await Task.sleep(for: .milliseconds(500))
            kill(process.processIdentifier, SIGTERM)
            try await Task.sleep(for: .milliseconds(300))
            let late = try? await browser.get("http://127.0.0.1:\(port)/slow/answer", headers: [("X-CSRF", "1")])
            #expect(late == nil, "no new connection is accepted once SIGTERM arrived")

            let answer = try await inFlight.value
            #expect(answer.status == 200)
            #expect(answer.body == "finished after SIGTERM")
            for _ in 0..<100 where process.isRunning { try await Task.sleep(for: .milliseconds(100)) }
            #expect(!process.isRunning, "the process exits after draining")
            #expect(process.terminationStatus == 0)
            try await browser.shutdown()
            await helpers.triggerGracefulShutdown()
        }
    }
}

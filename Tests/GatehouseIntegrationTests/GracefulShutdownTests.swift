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
    static func slowUpstream(port: Int) -> some ApplicationProtocol {
        TestSurroundings.upstream(port: port, label: "slow") { router in
            router.get("/slow/answer") { _, _ -> Response in
                try await Task.sleep(for: .seconds(2))
                return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "finished after SIGTERM")))
            }
        }
    }

    @Test("SIGTERM during a slow upstream call: the call completes, new connections are refused, exit status 0")
    func sigtermDrains() async throws {
        let upstreamPort = try freeLoopbackPort()
        let provider = try DevOpenIDProvider(configuration: .init(clients: []))

        try await TestSurroundings.withProvider(provider, alongside: [Self.slowUpstream(port: upstreamPort)]) { issuer in
            let gatehouse = try await GatehouseProcess.start(issuer: issuer, routes: """
                  - path: /slow/
                    upstream: http://127.0.0.1:\(upstreamPort)/
                    token: none
                """)
            defer { gatehouse.stop() }
            let (process, port) = (gatehouse.process, gatehouse.port)
            let browser = TestBrowser()

            let inFlight = Task { try await browser.get("http://127.0.0.1:\(port)/slow/answer", headers: [("X-CSRF", "1")]) }
            try await Task.sleep(for: .milliseconds(500))
            kill(process.processIdentifier, SIGTERM)
            try await Task.sleep(for: .milliseconds(300))
            let late = try? await browser.get("http://127.0.0.1:\(port)/slow/answer", headers: [("X-CSRF", "1")])
            #expect(late == nil, "no new connection is accepted once SIGTERM arrived")

            let answer = try await inFlight.value
            #expect(answer.status == 200)
            #expect(answer.body == "finished after SIGTERM")
            for _ in 0..<300 where process.isRunning { try await Task.sleep(for: .milliseconds(100)) }
            #expect(!process.isRunning, "the process exits after draining")
            #expect(process.terminationStatus == 0)
            try await browser.shutdown()
        }
    }
}

@Suite("Graceful shutdown while the provider is down")
struct ShutdownWithProviderDownTests {
    @Test("SIGTERM while the provider's metadata cannot load: the process exits at once, not after the call's 10 s timeout")
    func sigtermDuringProviderOutage() async throws {
        // Nothing listens there: every attempt is refused, and the HTTP client retries until its deadline.
        let closedPort = try freeLoopbackPort()
        let gatehouse = try await GatehouseProcess.start(issuer: "http://127.0.0.1:\(closedPort)", routes: "")
        defer { gatehouse.stop() }
        let process = gatehouse.process
        let signalled = ContinuousClock.now
        kill(process.processIdentifier, SIGTERM)
        for _ in 0..<100 where process.isRunning { try await Task.sleep(for: .milliseconds(100)) }
        #expect(!process.isRunning, "still running 10 s after SIGTERM")
        #expect(ContinuousClock.now - signalled < .seconds(5), "exited \(ContinuousClock.now - signalled) after SIGTERM")
        #expect(process.terminationStatus == 0)
        #expect(!gatehouse.output.contains("CancellationError"), "no failure logged for the cancelled load: \(gatehouse.output)")
    }
}

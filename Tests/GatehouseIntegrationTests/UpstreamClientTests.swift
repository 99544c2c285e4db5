import Foundation
@testable import GatehouseServer
import GatehouseTestSupport
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import Testing

@Suite("The proxy's upstream client")
struct UpstreamClientTests {
    static func get(_ client: UpstreamClient, port: Int, path: String) async throws -> (HTTPResponseStatus, String) {
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: path, headers: ["Host": "127.0.0.1:\(port)"])
        let answer = try await client.send(head, body: nil as UpstreamBody?, host: "127.0.0.1", port: port, timeout: .seconds(10))
        var text = ""
        for try await chunk in answer.body { text += String(buffer: chunk) }
        return (answer.head.status, text)
    }

    @Test("keep-alive connections are reused, and one the upstream closed while idle is replaced without an error")
    func staleConnections() async throws {
        let port = try freeLoopbackPort()
        let router = Router()
        router.get("/hello") { _, _ in "hello" }
        var quiet = Logger(label: "upstream")
        quiet.logLevel = .warning
        let (ready, continuation) = AsyncStream<String>.makeStream()
        // The upstream drops idle keep-alive connections after 1 s (long enough for a loaded
        // machine to send on a fresh connection before it goes).
        let app = Application(
            router: router, server: .http1(configuration: .init(idleTimeout: .seconds(1))),
            configuration: .init(address: .hostname("127.0.0.1", port: port)),
            onServerRunning: { _ in continuation.yield("up") }, logger: quiet
        )
        let group = ServiceGroup(configuration: .init(services: [app], logger: quiet))
        let client = UpstreamClient()
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            defer { tasks.cancelAll() }
            _ = try #require(await GatehouseHarness.firstValue(ready))
            for _ in 0..<3 {
                let (status, body) = try await Self.get(client, port: port, path: "/hello")
                #expect(status == .ok)
                #expect(body == "hello")
            }
            try await Task.sleep(for: .milliseconds(2500))
            let (status, body) = try await Self.get(client, port: port, path: "/hello")
            #expect(status == .ok, "a stale pooled connection is not the caller's problem")
            #expect(body == "hello")
            client.closeIdle()
            await group.triggerGracefulShutdown()
        }
    }

    @Test("nothing listening is unreachable; a silent upstream is a timeout")
    func failures() async throws {
        let client = UpstreamClient()
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: "/", headers: ["Host": "x"])
        await #expect(throws: UpstreamError.self) {
            _ = try await client.send(head, body: nil as UpstreamBody?, host: "127.0.0.1", port: try freeLoopbackPort(), timeout: .seconds(5))
        }
        let silent = try UnresponsiveListener()
        defer { silent.close() }
        let started = ContinuousClock.now
        await #expect(throws: UpstreamError.timedOut) {
            _ = try await client.send(head, body: nil as UpstreamBody?, host: "127.0.0.1", port: silent.port, timeout: .milliseconds(500))
        }
        #expect(ContinuousClock.now - started < .seconds(15), "the 0.5 s limit holds (a loaded machine adds some); without it a connect would hang for minutes")
    }
}

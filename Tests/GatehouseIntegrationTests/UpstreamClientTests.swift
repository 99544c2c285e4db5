import Foundation
@testable import GatehouseServer
import GatehouseTestSupport
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
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

    /// An upstream on 127.0.0.1:`port` answering `GET /hello` with `text`, for the length of `body`,
    /// then shut down gracefully (which closes pooled connections from its side).
    static func withUpstream(port: Int, answering text: String, _ body: () async throws -> Void) async throws {
        let (ready, continuation) = AsyncStream<String>.makeStream()
        let router = Router()
        router.get("/hello") { _, _ in text }
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)),
            onServerRunning: { _ in continuation.yield("up") }, logger: TestSurroundings.quietLogger("upstream")
        )
        let group = ServiceGroup(configuration: .init(services: [app], logger: TestSurroundings.quietLogger("upstream")))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            defer { tasks.cancelAll() }
            _ = try #require(await GatehouseHarness.firstValue(ready))
            try await body()
            await group.triggerGracefulShutdown()
            try await tasks.next()
        }
    }

    @Test("keep-alive connections are reused, and one the upstream closed while idle is replaced without an error")
    func staleConnections() async throws {
        let port = try freeLoopbackPort()
        // One event loop, so one pool: reuse is visible in its count.
        let loop = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let client = UpstreamClient(group: loop)
        // The first upstream is stopped (closing the pooled connections from its side) and a second
        // one started on the same port: no timing decides whether the pooled socket is stale.
        for generation in ["first", "second"] {
            try await Self.withUpstream(port: port, answering: "hello from the \(generation)") {
                for _ in 0..<3 {
                    let (status, body) = try await Self.get(client, port: port, path: "/hello")
                    #expect(status == .ok, "a stale pooled connection is not the caller's problem")
                    #expect(body == "hello from the \(generation)")
                }
                #expect(client.idleConnections == 1, "three calls in a row share one connection")
            }
        }
        client.closeIdle()
        try await loop.shutdownGracefully()
    }

    @Test("a connection idle in the pool past the idle timeout is closed; the next call opens a new one")
    func idleTimeout() async throws {
        let port = try freeLoopbackPort()
        let loop = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let client = UpstreamClient(group: loop, idleTimeout: .milliseconds(300))
        try await Self.withUpstream(port: port, answering: "hello") {
            #expect(try await Self.get(client, port: port, path: "/hello").1 == "hello")
            #expect(client.idleConnections == 1)
            let deadline = ContinuousClock.now + .seconds(5)
            while client.idleConnections > 0 && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
            #expect(client.idleConnections == 0, "closed after 300 ms idle")
            #expect(try await Self.get(client, port: port, path: "/hello").1 == "hello")
        }
        client.closeIdle()
        try await loop.shutdownGracefully()
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

import GatehouseRedis
import GatehouseTestSupport
import Logging
import NIOCore
import ServiceLifecycle
import Testing

@Suite("Redis faults: crashes, freezes, restarts, unreachable hosts", .serialized)
struct RedisFaultTests {
    @Test("server killed with a pipeline in flight: every caller gets a connection error, not the command timeout")
    func killedMidPipeline() async throws {
        // A command timeout far beyond the test: a failure that waited for it is `.commandTimeout`.
        try await withRedis(timeouts: .init(connect: .seconds(1), command: .seconds(60))) { server, client in
            try await client.ping()
            // Frozen first, so the commands are certainly in flight when it dies.
            server.pause()
            try await withThrowingTaskGroup(of: (any Error)?.self) { group in
                for index in 0..<200 {
                    group.addTask {
                        do {
                            _ = try await client.get("k\(index)")
                            return nil
                        } catch {
                            return error
                        }
                    }
                }
                try await Task.sleep(for: .milliseconds(100))
                await server.kill()
                var failures = 0
                for try await error in group {
                    let redisError = try #require(error as? RedisClientError, "every in-flight command must fail")
                    #expect(redisError.isConnectionFailure && redisError != .commandTimeout, "\(redisError)")
                    failures += 1
                }
                #expect(failures == 200)
            }
        }
    }

    @Test("after a crash the pool fails fast, then reconnects within seconds of the server returning")
    func reconnectsAfterRestart() async throws {
        try await withRedis { server, client in
            try await client.set("before", to: [1])
            await server.kill()
            await #expect(throws: RedisClientError.self) { try await client.ping() }
            // While Redis is down, callers fail at once rather than queueing until the command timeout.
            for _ in 0..<5 {
                do {
                    try await client.ping()
                    Issue.record("Redis is down")
                } catch let error as RedisClientError {
                    #expect(error.isConnectionFailure && error != .commandTimeout, "\(error)")
                }
            }

            try await server.restart()
            var recovered = false
            for _ in 0..<100 where !recovered {
                do {
                    try await client.ping()
                    recovered = true
                } catch {
                    try await Task.sleep(for: .milliseconds(50))
                }
            }
            #expect(recovered)
            // Both pooled connections work again (the server restarted empty); the second may
            // still be in its backoff (≤ 200 ms here) when the first recovers.
            try await waitUntil("both pooled connections answer", limit: .seconds(3)) {
                for _ in 0..<4 { guard (try? await client.get("before")) == .some(nil) else { return false } }
                return true
            }
        }
    }

    @Test("a frozen server gives a command timeout, not a hang, and service returns once it thaws")
    func frozenServer() async throws {
        try await withRedis(poolSize: 1, timeouts: .init(connect: .milliseconds(500), command: .milliseconds(300))) { server, client in
            try await client.ping()
            server.pause()
            await #expect(throws: RedisClientError.commandTimeout) { try await client.ping() }
            server.resume()
            var recovered = false
            for _ in 0..<50 where !recovered {
                recovered = (try? await client.ping()) != nil
                if !recovered { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(recovered)
        }
    }

    @Test("nothing listening: connection refused, quickly")
    func refused() async throws {
        let port = try freeLoopbackPort()
        let client = try RedisClient(configuration: RedisConfiguration(endpoint: RedisEndpoint(host: "127.0.0.1", port: port)))
        do {
            try await client.ping()
            Issue.record("nothing listens there")
        } catch let error as RedisClientError {
            #expect(error.isConnectionFailure)
            #expect(error.description.contains("refused"))
        }
        await client.shutdown()
    }

    @Test("a host that never completes the TCP handshake gives a connect timeout")
    func connectTimeout() async throws {
        let listener = try UnresponsiveListener()
        defer { listener.close() }
        let client = try RedisClient(configuration: RedisConfiguration(
            endpoint: RedisEndpoint(host: "127.0.0.1", port: listener.port),
            timeouts: .init(connect: .milliseconds(300), command: .seconds(1))
        ))
        await #expect(throws: RedisClientError.connectTimeout) { try await client.ping() }
        await client.shutdown()
    }

    @Test("graceful shutdown of the service fails in-flight commands cleanly and refuses new ones")
    func gracefulShutdown() async throws {
        let server = try await RedisServer.start()
        defer { server.stop() }
        let client = try RedisClient(configuration: RedisConfiguration(endpoint: RedisEndpoint(url: server.url)))
        try await client.ping()
        server.pause()
        let group = ServiceGroup(services: [client], logger: Logger(label: "test"))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let inFlight = Task { try await client.get("k") }
            try await Task.sleep(for: .milliseconds(100))
            await group.triggerGracefulShutdown()
            await #expect(throws: RedisClientError.self) { _ = try await inFlight.value }
            try await tasks.waitForAll()
        }
        await #expect(throws: RedisClientError.shutdown) { try await client.ping() }
        server.resume()
    }
}

import GatehouseRedis
import GatehouseTestSupport
import Testing

@Suite("Redis over TLS (rediss://)")
struct RedisTLSTests {
    @Test("rediss:// with the server's CA file connects and runs commands")
    func tlsWithCA() async throws {
        let server = try await RedisServer.start(tls: true)
        defer { server.stop() }
        let client = try RedisClient(configuration: RedisConfiguration(endpoint: RedisEndpoint(url: server.url), tlsCAFile: server.caFile))
        try await client.set("over-tls", to: [1, 2, 3])
        #expect(try await client.get("over-tls") == [1, 2, 3])
        await client.shutdown()
    }

    @Test("rediss:// without trusting the server's CA fails with a connection error, never a hang or plaintext")
    func tlsUntrusted() async throws {
        let server = try await RedisServer.start(tls: true)
        defer { server.stop() }
        let client = try RedisClient(configuration: RedisConfiguration(endpoint: RedisEndpoint(url: server.url)))
        await #expect(throws: RedisClientError.self) { try await client.ping() }
        await client.shutdown()
    }

    @Test("a plain redis:// client against a TLS port fails cleanly")
    func plainAgainstTLS() async throws {
        let server = try await RedisServer.start(tls: true)
        defer { server.stop() }
        let client = try RedisClient(configuration: RedisConfiguration(
            endpoint: RedisEndpoint(host: "127.0.0.1", port: server.port),
            timeouts: .init(connect: .milliseconds(500), command: .milliseconds(500))
        ))
        await #expect(throws: RedisClientError.self) { try await client.ping() }
        await client.shutdown()
    }
}

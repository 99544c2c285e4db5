import GatehouseRedis
import GatehouseTestSupport
import NIOCore

/// Starts a real redis-server and a client on it; stops both afterwards.
func withRedis(
    user: String? = nil,
    password: String? = nil,
    url: ((RedisServer) -> String)? = nil,
    poolSize: Int = 2,
    timeouts: RedisConfiguration.Timeouts = .init(connect: .seconds(2), command: .seconds(2)),
    backoff: Backoff = Backoff(initial: .milliseconds(20), maximum: .milliseconds(200)),
    _ body: (RedisServer, RedisClient) async throws -> Void
) async throws {
    let server = try await RedisServer.start(user: user, password: password)
    defer { server.stop() }
    let endpoint = try RedisEndpoint(url: url?(server) ?? server.url)
    let client = try RedisClient(configuration: RedisConfiguration(endpoint: endpoint, poolSize: poolSize, timeouts: timeouts, backoff: backoff))
    do {
        try await body(server, client)
        await client.shutdown()
    } catch {
        await client.shutdown()
        throw error
    }
}

extension String {
    var bytes: [UInt8] { Array(utf8) }
}

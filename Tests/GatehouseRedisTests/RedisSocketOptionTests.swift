@testable import GatehouseRedis
import GatehouseTestSupport
import NIOCore
import NIOPosix
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("Redis socket options")
struct RedisSocketOptionTests {
    @Test("connections set TCP_NODELAY and keepalive probes at the TCP level, and nothing privileged (SO_DEBUG needs root: the image runs as non-root)")
    func socketOptions() async throws {
        let server = try await RedisServer.start()
        defer { server.stop() }
        let client = try RedisClient(configuration: RedisConfiguration(endpoint: RedisEndpoint(url: server.url)))
        let connection = try await client.lease()
        let noDelay = try await connection.channel.getOption(.tcpOption(.tcp_nodelay)).get()
        #expect(noDelay == 1)
        let debug = try await connection.channel.getOption(
            ChannelOptions.Types.SocketOption(level: NIOBSDSocket.OptionLevel.socket, name: NIOBSDSocket.Option(rawValue: SO_DEBUG))
        ).get()
        #expect(debug == 0, "SO_DEBUG was set: setsockopt would fail with EACCES for a non-root user")
        // A subscribed connection is silent: keepalive probes notice a powered-off peer (about 30 s).
        #expect(try await connection.channel.getOption(.socketOption(.so_keepalive)).get() == 1)
        #expect(try await connection.channel.getOption(.tcpOption(NIOBSDSocket.Option(rawValue: TCP_KEEPIDLE))).get() == 15)
        #expect(try await connection.channel.getOption(.tcpOption(NIOBSDSocket.Option(rawValue: TCP_KEEPCNT))).get() == 3)
        await client.shutdown()
    }
}

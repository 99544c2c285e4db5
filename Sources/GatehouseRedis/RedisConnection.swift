package import NIOCore
import NIOPosix
import NIOSSL
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// One connection to Redis: pipelined, safe to use from any task.
package final class RedisConnection: Sendable {
    let channel: any Channel
    private let allocator: ByteBufferAllocator

    private init(channel: any Channel) {
        self.channel = channel
        self.allocator = channel.allocator
    }

    /// Whether the connection can still carry commands.
    package var isActive: Bool { channel.isActive }

    /// Completes when the connection has closed.
    package var closeFuture: EventLoopFuture<Void> { channel.closeFuture }

    /// Sends one command (its name first) and returns Redis's reply. An error
    /// reply is returned as `.error`, not thrown; connection failures are thrown.
    package func send(_ arguments: [[UInt8]]) async throws -> RedisReply {
        try await sendFuture(arguments).get()
    }

    /// Sends one command and returns a future of its reply.
    package func sendFuture(_ arguments: [[UInt8]]) -> EventLoopFuture<RedisReply> {
        var buffer = allocator.buffer(capacity: 32 + arguments.reduce(0) { $0 + $1.count + 16 })
        RESPCommandEncoder.encode(arguments, into: &buffer)
        let replyPromise = channel.eventLoop.makePromise(of: RedisReply.self)
        let writePromise = channel.eventLoop.makePromise(of: Void.self)
        // A write to a closed channel never reaches the handler, so its reply
        // promise would never complete: cascade the write's failure into it.
        writePromise.futureResult.whenFailure { _ in replyPromise.fail(RedisClientError.connectionClosed) }
        channel.write(RedisRequest(encoded: buffer, promise: replyPromise), promise: writePromise)
        return replyPromise.futureResult
    }

    /// Closes the connection; commands in flight fail with `connectionClosed`.
    package func close() async {
        try? await channel.close()
    }

    /// Connects, then authenticates and selects the database before returning.
    static func connect(
        to endpoint: RedisEndpoint,
        timeouts: RedisConfiguration.Timeouts,
        tls: NIOSSLContext?,
        on eventLoop: any EventLoop,
        onPush: (@Sendable (RedisReply) -> Void)? = nil
    ) async throws -> RedisConnection {
        let bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(timeouts.connect)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            // A subscribed connection sends nothing: without probes a peer that is powered off
            // (no FIN, no RST) would never be noticed. Probes after 15 s idle, every 5 s, 3 tries.
            .channelOption(.socketOption(.so_keepalive), value: 1)
            .channelOption(.tcpOption(NIOBSDSocket.Option(rawValue: TCP_KEEPIDLE)), value: 15)
            .channelOption(.tcpOption(NIOBSDSocket.Option(rawValue: TCP_KEEPINTVL)), value: 5)
            .channelOption(.tcpOption(NIOBSDSocket.Option(rawValue: TCP_KEEPCNT)), value: 3)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        let hostname = endpoint.isIPAddress ? nil : endpoint.host
                        try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tls, serverHostname: hostname))
                    }
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(RESPDecoder()))
                    try channel.pipeline.syncOperations.addHandler(RedisChannelHandler(commandTimeout: timeouts.command, onPush: onPush))
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.connect(host: endpoint.host, port: endpoint.port).get()
        } catch let error as ChannelError where error == .connectTimeout(timeouts.connect) {
            throw RedisClientError.connectTimeout
        } catch let error as ChannelError {
            if case .connectTimeout = error { throw RedisClientError.connectTimeout }
            throw RedisClientError.connectionRefused(String(describing: error))
        } catch {
            throw RedisClientError.connectionRefused(Self.describe(error))
        }
        let connection = RedisConnection(channel: channel)
        do {
            try await connection.handshake(endpoint)
        } catch {
            await connection.close()
            throw error
        }
        return connection
    }

    private func handshake(_ endpoint: RedisEndpoint) async throws {
        try await authenticate(endpoint)
        if endpoint.database != 0 {
            let reply = try await send([Array("SELECT".utf8), Array(String(endpoint.database).utf8)])
            if case .error(let message) = reply { throw RedisClientError.serverError(message) }
        }
    }

    /// `AUTH [user] password` with the endpoint's credentials, when it has any.
    func authenticate(_ endpoint: RedisEndpoint) async throws {
        guard let password = endpoint.password else { return }
        var auth: [[UInt8]] = [Array("AUTH".utf8)]
        if let user = endpoint.user { auth.append(Array(user.utf8)) }
        auth.append(Array(password.utf8))
        // AUTH's error text does not echo the password, but it is not ours to pass on.
        if case .error = try await send(auth) { throw RedisClientError.authenticationFailed }
    }

    private static func describe(_ error: any Error) -> String {
        if let error = error as? IOError { return error.description }
        if let error = error as? NIOConnectionError {
            if let first = error.connectionErrors.first {
                return "\(first.target): \(describe(first.error))"
            }
            return "no address could be reached"
        }
        return String(describing: type(of: error))
    }
}

import Foundation
import HTTPTypes
package import NIOCore
import NIOHTTP1
package import NIOPosix
import NIOSSL
import Synchronization

/// The one upstream transport of the API proxy, for `http://` and `https://` alike: a lean
/// HTTP/1.1 client with keep-alive connections pooled per upstream (and its TLS settings) and per
/// event loop, so a proxied request's reads and writes stay on the thread that serves the browser.
/// `https://` runs over swift-nio-ssl with Gatehouse's outbound floor, a route's private CA and
/// client certificate (mutual TLS) when it names them.
///
/// AsyncHTTPClient remains the client for the provider; for the proxy's hot path
/// its per-request machinery cost about three times Hummingbird's own work
/// (measured with `gatehouse-bench bare-proxy`, see the README).
package final class UpstreamClient: Sendable {
    struct PoolKey: Hashable {
        var host: String
        var port: Int
        var eventLoop: ObjectIdentifier
        /// `nil` for plain http; else the TLS the connection was made with.
        var tls: UpstreamTLS?
    }

    /// How an upstream connection is secured: https with the defaults or with a route's settings.
    struct UpstreamTLS: Hashable, Sendable {
        var settings: UpstreamTLSSettings?
    }

    private let group: any EventLoopGroup
    private let idle = Mutex<[PoolKey: [UpstreamConnection]]>([:])
    /// One client context per distinct TLS settings, made on first use (loading a CA file per
    /// connection would cost a file read and a parse each time).
    private let contexts = Mutex<[UpstreamTLS: NIOSSLContext]>([:])
    /// Idle connections kept per upstream and event loop.
    let maxIdle: Int
    /// How long a connection may sit idle in the pool before Gatehouse closes it (nginx's
    /// `keepalive_timeout` for upstreams is 60 s too): an upstream behind a load balancer that
    /// forgets idle flows silently would otherwise leave dead sockets to be found by a request.
    let idleTimeout: TimeAmount

    package init(group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, maxIdle: Int = 128, idleTimeout: TimeAmount = .seconds(60)) {
        self.group = group
        self.maxIdle = maxIdle
        self.idleTimeout = idleTimeout
    }

    /// The answer's head and a lease on the connection that carries its body.
    struct Answer {
        var head: HTTPResponseHead
        var body: UpstreamBody
    }

    /// Sends `head` (and `body`, streamed) to `host:port`; returns once the response head arrived.
    /// `timeout` bounds connecting, sending and waiting for the head.
    func send(
        _ head: HTTPRequestHead, body: (some AsyncSequence<ByteBuffer, any Error> & Sendable)?, host: String, port: Int, tls: UpstreamTLS? = nil,
        timeout: TimeAmount
    ) async throws -> Answer {
        let eventLoop = MultiThreadedEventLoopGroup.currentEventLoop ?? group.next()
        let key = PoolKey(host: host, port: port, eventLoop: ObjectIdentifier(eventLoop), tls: tls)
        let deadline = NIODeadline.now() + timeout
        // A pooled connection may have been closed by the upstream a moment ago; a request
        // without a body is then tried once more on a new connection.
        if let connection = takeIdle(key) {
            do {
                return try await exchange(head, body: body, on: connection, key: key, deadline: deadline)
            } catch UpstreamError.closedBeforeAnswer where body == nil {
            }
        }
        let connection = try await connect(host: host, port: port, tls: tls, on: eventLoop, deadline: deadline)
        return try await exchange(head, body: body, on: connection, key: key, deadline: deadline)
    }

    private func exchange(
        _ head: HTTPRequestHead, body: (some AsyncSequence<ByteBuffer, any Error> & Sendable)?, on connection: UpstreamConnection,
        key: PoolKey, deadline: NIODeadline
    ) async throws -> Answer {
        let timedOut = Atomic<Bool>(false)
        let timer = connection.channel.eventLoop.schedule(at: deadline) {
            timedOut.store(true, ordering: .relaxed)
            connection.close()
        }
        defer { timer?.cancel() }
        do {
            if let body {
                // Each write awaited: a fast browser cannot fill memory ahead of a slow upstream.
                try await connection.write(.head(head))
                for try await chunk in body { try await connection.write(.body(.byteBuffer(chunk))) }
                try await connection.write(.end(nil))
            } else {
                // One flush, one syscall; not awaited: a failed write closes the connection, which
                // the read of the answer below meets.
                connection.send([.head(head), .end(nil)])
            }
            while true {
                guard let part = try await connection.next() else { throw UpstreamError.closedBeforeAnswer }
                guard case .head(let responseHead) = part else { continue }
                // 1xx answers (100 Continue) come before the real one.
                if responseHead.status.code < 200 && responseHead.status != .switchingProtocols { continue }
                let keepAlive = responseHead.isKeepAlive && head.isKeepAlive
                return Answer(head: responseHead, body: UpstreamBody(connection: connection, client: self, key: key, keepAlive: keepAlive))
            }
        } catch {
            connection.close()
            if timedOut.load(ordering: .relaxed) { throw UpstreamError.timedOut }
            if let error = error as? UpstreamError { throw error }
            throw connection.reused ? UpstreamError.closedBeforeAnswer : UpstreamError.failed(String(describing: type(of: error)))
        }
    }

    private func connect(host: String, port: Int, tls: UpstreamTLS?, on eventLoop: any EventLoop, deadline: NIODeadline) async throws -> UpstreamConnection {
        let remaining = deadline - .now()
        guard remaining > .zero else { throw UpstreamError.timedOut }
        let context = try tls.map(context(for:))
        // The name checked against the certificate and sent as SNI; an IP address is checked against its IP SANs.
        let serverName = host.contains(":") || host.split(separator: ".").count == 4 && host.allSatisfy({ $0.isNumber || $0 == "." }) ? nil : host
        do {
            let channel = try await ClientBootstrap(group: eventLoop)
                .connectTimeout(remaining)
                .channelOption(.tcpOption(.tcp_nodelay), value: 1)
                .connect(host: host, port: port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if let context {
                            try channel.pipeline.syncOperations.addHandler(try NIOSSLClientHandler(context: context, serverHostname: serverName))
                        }
                        return try UpstreamConnection.configure(channel)
                    }
                }
            return channel
        } catch let error as ChannelError {
            if case .connectTimeout = error { throw UpstreamError.timedOut }
            throw UpstreamError.unreachable(String(describing: error))
        } catch {
            throw UpstreamError.unreachable(String(describing: type(of: error)))
        }
    }

    private func context(for tls: UpstreamTLS) throws -> NIOSSLContext {
        if let context = contexts.withLock({ $0[tls] }) { return context }
        let context: NIOSSLContext
        do {
            context = try tls.settings?.makeContext() ?? NIOSSLContext(configuration: outboundTLS())
        } catch {
            throw UpstreamError.failed("TLS settings: \(error)")
        }
        contexts.withLock { $0[tls] = context }
        return context
    }

    /// New connections read the routes' TLS files again (after a reload: a renewed client
    /// certificate or CA under the same paths); open connections keep theirs.
    func forgetTLSContexts() {
        contexts.withLock { $0.removeAll() }
    }

    private func takeIdle(_ key: PoolKey) -> UpstreamConnection? {
        while let connection = idle.withLock({ idle -> UpstreamConnection? in
            let connection = idle[key]?.popLast()
            connection?.idleTimer?.cancel()
            connection?.idleTimer = nil
            return connection
        }) {
            if connection.isActive {
                connection.reused = true
                return connection
            }
            connection.close()
        }
        return nil
    }

    /// Takes back a connection whose answer was read to the end.
    func release(_ connection: UpstreamConnection, key: PoolKey) {
        let kept = idle.withLock { idle in
            guard connection.isActive, idle[key, default: []].count < maxIdle else { return false }
            idle[key, default: []].append(connection)
            connection.idleTimer = connection.channel.eventLoop.schedule(in: idleTimeout) { [weak self] in
                self?.expire(connection, key: key)
            }
            return true
        }
        if !kept { connection.close() }
    }

    /// Closes a connection that sat in the pool for `idleTimeout`, unless a request took it meanwhile.
    private func expire(_ connection: UpstreamConnection, key: PoolKey) {
        let removed = idle.withLock { idle in
            guard let index = idle[key]?.firstIndex(where: { $0 === connection }) else { return false }
            idle[key]?.remove(at: index)
            if idle[key]?.isEmpty == true { idle[key] = nil }
            return true
        }
        if removed { connection.close() }
    }

    /// Idle keep-alive connections across upstreams and event loops (for the pool gauge).
    package var idleConnections: Int {
        idle.withLock { $0.values.reduce(0) { $0 + $1.count } }
    }

    /// Closes every idle connection.
    package func closeIdle() {
        let all = idle.withLock { idle in
            defer { idle.removeAll() }
            return idle.values.flatMap { $0 }
        }
        for connection in all { connection.idleTimer?.cancel() }
        for connection in all { connection.close() }
    }
}

/// The body of one upstream answer, read once; the connection returns to the
/// pool when the body was read to its end, and is closed otherwise.
struct UpstreamBody: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let connection: UpstreamConnection
    let client: UpstreamClient
    let key: UpstreamClient.PoolKey
    let keepAlive: Bool
    /// Whether the connection is settled — handed back to the pool, or abandoned — so that an
    /// abandon racing the end of the body never closes a connection already serving another request.
    let settled = SettledFlag()

    final class SettledFlag: Sendable {
        private let value = Atomic(false)
        /// `true` for the one caller that settles it.
        func settle() -> Bool { value.compareExchange(expected: false, desired: true, ordering: .sequentiallyConsistent).exchanged }
    }

    struct AsyncIterator: AsyncIteratorProtocol {
        let body: UpstreamBody
        var finished = false

        mutating func next() async throws -> ByteBuffer? {
            guard !finished else { return nil }
            do {
                while let part = try await body.connection.next() {
                    switch part {
                    case .body(let buffer):
                        return buffer
                    case .end:
                        finished = true
                        guard body.settled.settle() else { return nil }
                        if body.keepAlive { body.client.release(body.connection, key: body.key) } else { body.connection.close() }
                        return nil
                    case .head:
                        continue
                    }
                }
                finished = true
                throw UpstreamError.closedBeforeAnswer
            } catch {
                finished = true
                body.connection.close()
                throw error
            }
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(body: self) }

    /// Closes the connection when the body will not be read (the browser went away).
    func abandon() {
        if settled.settle() { connection.close() }
    }
}

/// Why an upstream call failed; the proxy answers 502 or 504.
enum UpstreamError: Error, Equatable {
    case unreachable(String)
    case timedOut
    case closedBeforeAnswer
    case failed(String)
}

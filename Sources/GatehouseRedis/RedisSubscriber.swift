package import Logging
import NIOCore
package import ServiceLifecycle
import Synchronization

/// One subscribed connection per replica, kept open for as long as the
/// service runs: it hands each message on `channel` to `onMessage`, and calls
/// `onSubscribed` after every (re)subscription, because messages published
/// while it was reconnecting are lost and whoever waits for them must re-check.
package final class RedisSubscriber: Service, Sendable {
    private let connect: @Sendable (_ onPush: @escaping @Sendable (RedisReply) -> Void) async throws -> RedisConnection
    private let backoff: Backoff
    private let channel: [UInt8]
    private let logger: Logger
    private let onMessage: @Sendable ([UInt8]) -> Void
    private let onSubscribed: @Sendable () -> Void
    private let current = Mutex<RedisConnection?>(nil)
    private let subscribed = Atomic<Bool>(false)

    /// Connects like `client` (same server, credentials, TLS and timeouts), and to the new master
    /// when the sentinels announce one.
    package convenience init(
        client: RedisClient, channel: String, logger: Logger = Logger(label: "gatehouse.redis.subscriber"),
        onMessage: @escaping @Sendable ([UInt8]) -> Void, onSubscribed: @escaping @Sendable () -> Void = {}
    ) {
        self.init(
            channel: channel, backoff: client.configuration.backoff, logger: logger,
            connect: { [eventLoopGroup = client.eventLoopGroup] onPush in try await client.connectToPrimary(on: eventLoopGroup.next(), onPush: onPush) },
            onMessage: onMessage, onSubscribed: onSubscribed
        )
        client.whenPrimaryMoves { [weak self] in self?.closeCurrent() }
    }

    /// Connects to any node of the cluster `cluster` (each delivers every `PUBLISH`), and to
    /// another when that one is lost.
    package convenience init(
        cluster: RedisClusterClient, channel: String, logger: Logger = Logger(label: "gatehouse.redis.subscriber"),
        onMessage: @escaping @Sendable ([UInt8]) -> Void, onSubscribed: @escaping @Sendable () -> Void = {}
    ) {
        self.init(
            channel: channel, backoff: cluster.configuration.backoff, logger: logger,
            connect: { [eventLoopGroup = cluster.eventLoopGroup] onPush in try await cluster.connectToAnyNode(on: eventLoopGroup.next(), onPush: onPush) },
            onMessage: onMessage, onSubscribed: onSubscribed
        )
    }

    /// Subscribes on the connections `connect` opens (a sentinel's, for `+switch-master`).
    init(
        channel: String, backoff: Backoff, logger: Logger,
        connect: @escaping @Sendable (_ onPush: @escaping @Sendable (RedisReply) -> Void) async throws -> RedisConnection,
        onMessage: @escaping @Sendable ([UInt8]) -> Void, onSubscribed: @escaping @Sendable () -> Void = {}
    ) {
        self.connect = connect
        self.backoff = backoff
        self.channel = Array(channel.utf8)
        self.logger = logger
        self.onMessage = onMessage
        self.onSubscribed = onSubscribed
    }

    /// Whether the subscription is live right now.
    package var isSubscribed: Bool { subscribed.load(ordering: .relaxed) }

    /// Subscribes, and resubscribes after every lost connection with the
    /// client's backoff, until graceful shutdown or cancellation.
    package func run() async throws {
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                await self.subscribeUntilStopped()
            } onGracefulShutdown: {
                self.closeCurrent()
            }
        } onCancel: {
            self.closeCurrent()
        }
    }

    private func subscribeUntilStopped() async {
        var failures = 0
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            if await subscribeOnce() { failures = 0 } else { failures += 1 }
            subscribed.store(false, ordering: .relaxed)
            guard !Task.isCancelled && !Task.isShuttingDownGracefully else { break }
            // A timer between reconnect attempts, not a wait for a condition.
            let delay = backoff.delay(afterFailures: max(failures, 1), jitter: Double.random(in: 0.5...1))
            try? await Task.sleep(for: .nanoseconds(delay.nanoseconds))
        }
    }

    /// One connection's life; `true` when it got as far as subscribing.
    private func subscribeOnce() async -> Bool {
        let onMessage = self.onMessage
        do {
            let connection = try await connect { reply in
                if let items = reply.array, items.count == 3, let payload = items[2].bytes { onMessage(payload) }
            }
            current.withLock { $0 = connection }
            defer { current.withLock { $0 = nil } }
            if Task.isShuttingDownGracefully || Task.isCancelled {
                await connection.close()
                return false
            }
            let reply = try await connection.send([Array("SUBSCRIBE".utf8), channel])
            if case .error(let message) = reply { throw RedisClientError.serverError(message) }
            subscribed.store(true, ordering: .relaxed)
            logger.debug("redis subscribed", metadata: ["gatehouse.redis.channel": "\(String(decoding: channel, as: UTF8.self))"])
            onSubscribed()
            try? await connection.closeFuture.get()
            if !Task.isShuttingDownGracefully {
                logger.warning("redis subscription lost; resubscribing", metadata: ["gatehouse.event": "redis.subscription_lost"])
            }
            return true
        } catch {
            logger.warning("redis subscription failed", metadata: ["gatehouse.event": "redis.subscribe_failed", "gatehouse.error": "\(error)"])
            return false
        }
    }

    func closeCurrent() {
        guard let connection = current.withLock({ $0 }) else { return }
        Task { await connection.close() }
    }
}

import GatehouseSessions
package import Logging
package import NIOCore
package import NIOPosix
import NIOSSL
package import ServiceLifecycle
import Synchronization

/// A bounded pool of pipelined Redis connections; the long-running `Service`
/// that owns them.
///
/// Connections open lazily and reopen after failures with capped exponential
/// backoff and jitter. While a slot backs off its callers fail fast with
/// `RedisClientError.unavailable`, so a request that needs Redis answers 503 at
/// once rather than queueing behind a dead server.
package final class RedisClient: Service, Sendable {
    private typealias Waiter = CheckedContinuation<RedisConnection, any Error>
    /// A class around the mutex: `Mutex` cannot be copied into an array or closure.
    private final class Slot: Sendable {
        let machine = Mutex(ConnectionSlotStateMachine<RedisConnection, Waiter>())
        func withLock<R: Sendable>(_ body: (inout ConnectionSlotStateMachine<RedisConnection, Waiter>) -> sending R) -> sending R {
            machine.withLock { body(&$0) }
        }
    }

    package let configuration: RedisConfiguration
    let eventLoopGroup: any EventLoopGroup
    private let logger: Logger
    private let slots: [Slot]
    private let nextSlot = Atomic<Int>(0)
    let tls: NIOSSLContext?
    /// With `redis+sentinel://`: where to ask for the master.
    let sentinels: RedisSentinels?
    /// Called when the sentinels announce a new master (the subscribers reconnect).
    private let primaryObservers = Mutex<[@Sendable () -> Void]>([])
    /// Counts master moves, so a connect that straddled one is not kept.
    private let primaryGeneration = Atomic<Int>(0)
    /// The master the last connection was made to, to tell a missed switch on resubscription.
    private let knownPrimary = Mutex<RedisURL.Address?>(nil)

    package init(
        configuration: RedisConfiguration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "gatehouse.redis")
    ) throws {
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
        self.slots = (0..<configuration.poolSize).map { _ in Slot() }
        if configuration.endpoint.usesTLS {
            var tlsConfiguration = TLSConfiguration.makeClientConfiguration()
            if let caFile = configuration.tlsCAFile {
                tlsConfiguration.trustRoots = .file(caFile)
            }
            self.tls = try NIOSSLContext(configuration: tlsConfiguration)
        } else {
            self.tls = nil
        }
        self.sentinels = RedisSentinels(configuration, tls: tls)
    }

    /// Runs until graceful shutdown, then closes every connection. With sentinels it listens
    /// for `+switch-master` meanwhile, and drops every connection when the master moves.
    package func run() async throws {
        if let sentinels {
            let follower = RedisSubscriber(
                channel: "+switch-master", backoff: configuration.backoff, logger: logger,
                connect: { [eventLoopGroup] onPush in try await sentinels.connectToAny(on: eventLoopGroup.next(), onPush: onPush) },
                onMessage: { [weak self] payload in
                    // "<name> <old-ip> <old-port> <new-ip> <new-port>"
                    let words = String(decoding: payload, as: UTF8.self).split(separator: " ")
                    guard words.count == 5, words[0] == sentinels.masterName else { return }
                    self?.primaryMoved(to: "\(words[3]):\(words[4])")
                },
                onSubscribed: { [weak self] in
                    // A switch announced while the subscription was down was missed: ask again.
                    Task { await self?.followMissedSwitch() }
                }
            )
            try await follower.run()
        } else {
            try? await gracefulShutdown()
        }
        await shutdown()
    }

    /// Behind sentinels, where they say the master is (for `check-config --live`); else nil.
    package func topologySummary() async throws -> String? {
        guard let sentinels else { return nil }
        let address = try await sentinels.masterAddress(on: eventLoopGroup.next())
        return "the sentinels name \(address) as master \(sentinels.masterName)"
    }

    private func followMissedSwitch() async {
        guard let sentinels, let known = knownPrimary.withLock({ $0 }),
              let current = try? await sentinels.masterAddress(on: eventLoopGroup.next()), current != known
        else { return }
        primaryMoved(to: current.description)
    }

    /// `body` runs whenever the sentinels announce a new master.
    package func whenPrimaryMoves(_ body: @escaping @Sendable () -> Void) {
        primaryObservers.withLock { $0.append(body) }
    }

    /// Closes every pooled connection (each slot reconnects to the new master on its next lease)
    /// and tells the observers.
    func primaryMoved(to address: String) {
        primaryGeneration.add(1, ordering: .releasing)
        logger.warning("redis master moved; reconnecting", metadata: ["gatehouse.event": "redis.failover", "gatehouse.redis.master": "\(address)"])
        for slot in slots {
            if case .connected(let connection) = slot.withLock({ $0.state }) {
                Task { await connection.close() }
            }
        }
        for observer in primaryObservers.withLock({ $0 }) { observer() }
    }

    /// A connection to the server that takes writes: the URL's, or the master the sentinels name
    /// (checked with `ROLE`: a failed-over master can come back as a replica before they say so).
    package func connectToPrimary(on eventLoop: any EventLoop, onPush: (@Sendable (RedisReply) -> Void)? = nil) async throws -> RedisConnection {
        guard let sentinels else {
            return try await RedisConnection.connect(to: configuration.endpoint, timeouts: configuration.timeouts, tls: tls, on: eventLoop, onPush: onPush)
        }
        let address = try await sentinels.masterAddress(on: eventLoop)
        let connection = try await RedisConnection.connect(to: configuration.endpoint.at(address), timeouts: configuration.timeouts, tls: tls, on: eventLoop, onPush: onPush)
        let role: RedisReply
        do {
            role = try await connection.send([Array("ROLE".utf8)])
        } catch {
            await connection.close()
            throw error
        }
        if case .error(let message) = role {
            // A least-privilege ACL user needs +role; say so rather than "not the master".
            await connection.close()
            throw RedisClientError.serverError("ROLE refused on \(address) (the Redis user needs +role): \(message)")
        }
        guard role.array?.first?.bytes == Array("master".utf8) else {
            await connection.close()
            throw RedisClientError.unavailable("\(address) is not the master yet")
        }
        knownPrimary.withLock { $0 = address }
        return connection
    }

    /// A write refused by a server that became a replica: the connection is dropped, so the next
    /// lease asks the sentinels again, and the caller sees Redis as briefly unavailable. Inside a
    /// script Redis 6.2 wraps the refusal (`ERR Error running script … READONLY …`), hence
    /// `contains`.
    private func checkNotDemoted(_ reply: RedisReply, on connection: RedisConnection) throws {
        guard case .error(let message) = reply, message.contains("READONLY") || message.contains("MASTERDOWN") else { return }
        Task { await connection.close() }
        throw RedisClientError.unavailable("the Redis server is no longer the master")
    }

    /// Closes every connection; commands in flight fail with `connectionClosed`,
    /// later ones with `shutdown`.
    package func shutdown() async {
        for slot in slots {
            let (connection, waiters) = slot.withLock { $0.shutdown() }
            for waiter in waiters { waiter.resume(throwing: RedisClientError.shutdown) }
            if let connection { await connection.close() }
        }
    }

    /// How many pooled connections are connected now (for the pool gauge).
    package var connectedConnections: Int {
        slots.reduce(0) { count, slot in
            if case .connected = slot.withLock({ $0.state }) { return count + 1 }
            return count
        }
    }

    /// Sends one command (name first) on a pooled connection. An error reply
    /// comes back as `.error`; connection failures throw `RedisClientError`.
    package func send(_ arguments: [[UInt8]]) async throws -> RedisReply {
        let connection = try await lease()
        let reply = try await connection.send(arguments)
        try checkNotDemoted(reply, on: connection)
        return reply
    }

    /// Sends several commands back to back on one connection and returns their
    /// replies in order (one round trip).
    package func pipeline(_ commands: [[[UInt8]]]) async throws -> [RedisReply] {
        let connection = try await lease()
        let futures = commands.map { connection.sendFuture($0) }
        var replies: [RedisReply] = []
        replies.reserveCapacity(futures.count)
        for future in futures { replies.append(try await future.get()) }
        for reply in replies { try checkNotDemoted(reply, on: connection) }
        return replies
    }

    /// A connected connection, round-robin over the slots.
    func lease() async throws -> RedisConnection {
        let index = Int(UInt(bitPattern: nextSlot.wrappingAdd(1, ordering: .relaxed).oldValue) % UInt(slots.count))
        let slot = slots[index]
        // Fast path without a continuation: the slot is connected.
        if case .connected(let connection) = slot.withLock({ $0.state }) {
            return connection
        }
        return try await withCheckedThrowingContinuation { (waiter: Waiter) in
            let action = slot.withLock { $0.lease(waiter, now: NIODeadline.now()) }
            switch action {
            case .use(let connection): waiter.resume(returning: connection)
            case .wait: break
            case .fail(let error): waiter.resume(throwing: error)
            case .connect:
                let eventLoop = eventLoopGroup.next()
                Task { await self.connect(slot: slot, on: eventLoop) }
            }
        }
    }

    private func connect(slot: Slot, on eventLoop: any EventLoop) async {
        let endpoint = configuration.endpoint
        do {
            let generation = primaryGeneration.load(ordering: .acquiring)
            let connection = try await connectToPrimary(on: eventLoop)
            // The master moved while this connect was under way: it may have reached the old one
            // before its demotion, and primaryMoved closed only the connections it could see.
            guard primaryGeneration.load(ordering: .acquiring) == generation else {
                await connection.close()
                throw RedisClientError.unavailable("the Redis master moved while connecting")
            }
            let (waiters, keep) = slot.withLock { $0.connected(connection) }
            guard keep else {
                await connection.close()
                return
            }
            logger.debug("redis connected", metadata: ["gatehouse.redis.endpoint": "\(endpoint)"])
            connection.closeFuture.whenComplete { [logger] _ in
                slot.withLock { $0.closed(isCurrent: { $0 === connection }) }
                logger.info("redis connection closed", metadata: ["gatehouse.redis.endpoint": "\(endpoint)"])
            }
            for waiter in waiters { waiter.resume(returning: connection) }
        } catch {
            let redisError = (error as? RedisClientError) ?? .connectionRefused(String(describing: type(of: error)))
            let waiters = slot.withLock {
                $0.connectFailed(redisError, now: NIODeadline.now(), backoff: configuration.backoff, jitter: Double.random(in: 0.5...1))
            }
            logger.warning("redis connect failed", metadata: [
                "gatehouse.redis.endpoint": "\(endpoint)",
                "gatehouse.error": "\(redisError)",
            ])
            for waiter in waiters { waiter.resume(throwing: redisError) }
        }
    }
}

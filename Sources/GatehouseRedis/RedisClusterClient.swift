package import GatehouseSessions
package import Logging
package import NIOCore
package import NIOPosix
package import ServiceLifecycle
import Synchronization

/// Redis Cluster: a pool per primary (each a ``RedisClient``), and each command sent to the node
/// that serves its first key's hash slot.
///
/// The slot map comes from `CLUSTER SLOTS`, asked of the known primaries and then the seeds. A
/// `MOVED` answer (a slot moved for good: resharding, a failover) sends the command on to the
/// named node and has the map read again; `ASK` (a slot being migrated) sends it once to the
/// named node after `ASKING`, on the same connection. A node that cannot be reached also has the
/// map read again, so a promoted replica is found; until then its slots answer 503.
package final class RedisClusterClient: RedisCommands, Service, Sendable {
    package let configuration: RedisConfiguration
    let eventLoopGroup: any EventLoopGroup
    private let logger: Logger
    private let seeds: [RedisURL.Address]
    private let nodes = Mutex<[RedisURL.Address: RedisClient]>([:])
    /// Set by `shutdown`: no node pool is made after it (a subscriber reconnecting, say).
    private let isShutDown = Atomic<Bool>(false)
    private let map = Mutex<RedisClusterSlots?>(nil)
    /// The one `CLUSTER SLOTS` read in flight, which every caller that wants a new map awaits.
    private let refreshing = Mutex<Task<RedisClusterSlots, any Error>?>(nil)
    /// When the last read finished; a redirect or a lost node within `refreshInterval` of it asks for none.
    private let lastRefresh = Mutex<ContinuousClock.Instant?>(nil)
    static let refreshInterval: Duration = .milliseconds(250)
    /// Redirects followed for one command before giving up (a map in flux settles in one or two).
    static let maximumRedirects = 5

    package init(
        configuration: RedisConfiguration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "gatehouse.redis")
    ) throws(RedisClientError) {
        guard case .cluster(let seeds) = configuration.endpoint.topology else {
            throw .invalidURL("a cluster client needs a redis+cluster:// URL")
        }
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
        self.seeds = seeds
    }

    /// Runs until graceful shutdown, then closes every node's connections.
    package func run() async throws {
        try? await gracefulShutdown()
        await shutdown()
    }

    package func shutdown() async {
        let all = nodes.withLock { nodes in
            defer { nodes.removeAll() }
            return Array(nodes.values)
        }
        isShutDown.store(true, ordering: .releasing)
        for client in all { await client.shutdown() }
    }

    /// Connected connections over all nodes (the pool gauge).
    package var connectedConnections: Int {
        nodes.withLock { $0.values.reduce(0) { $0 + $1.connectedConnections } }
    }

    /// The slot map as last read; `nil` before the first command.
    package var slots: RedisClusterSlots? { map.withLock { $0 } }

    package func send(_ arguments: [[UInt8]]) async throws -> RedisReply {
        guard let slot = try Self.routingKey(of: arguments).map({ $0.map(RedisClusterSlot.of) }) else {
            throw RedisClientError.unexpectedReply("\(arguments.first.map { String(decoding: $0, as: UTF8.self) } ?? "") is not routed on a cluster")
        }
        guard let slot else { return try await sendToAnyNode(arguments) }
        var target = try await address(for: slot)
        var asking = false
        for _ in 0...Self.maximumRedirects {
            let client = try node(target)
            let reply: RedisReply
            do {
                reply = asking ? try await client.pipeline([[Array("ASKING".utf8)], arguments])[1] : try await client.send(arguments)
            } catch let error as RedisClientError where error.isConnectionFailure {
                // The node may be gone for good (a replica is promoted in its place): read the map again.
                refreshSoon()
                throw error
            }
            guard case .error(let text) = reply, let redirect = RedisClusterRedirect(error: text) else { return reply }
            // An empty host in the redirect is the node that answered.
            target = redirect.address.host.isEmpty ? RedisURL.Address(host: target.host, port: redirect.address.port) : redirect.address
            asking = redirect.kind == .ask
            if redirect.kind == .moved { refreshSoon() }
        }
        throw RedisClientError.unavailable("more than \(Self.maximumRedirects) cluster redirects for one command")
    }

    /// A command without a key (`PING`, `INFO`): to the first node that answers.
    private func sendToAnyNode(_ arguments: [[UInt8]]) async throws -> RedisReply {
        var lastError: any Error = RedisClientError.unavailable("no cluster node answered")
        for address in candidates() {
            do {
                return try await node(address).send(arguments)
            } catch let error as RedisClientError where error.isConnectionFailure {
                lastError = error
            }
        }
        throw lastError
    }

    /// A new map in the background, unless one was read a moment ago or is being read.
    private func refreshSoon() {
        if let last = lastRefresh.withLock({ $0 }), ContinuousClock.now - last < Self.refreshInterval { return }
        Task { try? await self.refreshSlots() }
    }

    /// A connection to any reachable node, for a pub/sub subscriber: in a cluster every node
    /// delivers every `PUBLISH`.
    package func connectToAnyNode(on eventLoop: any EventLoop, onPush: (@Sendable (RedisReply) -> Void)? = nil) async throws -> RedisConnection {
        var lastError: any Error = RedisClientError.unavailable("no cluster node to connect to")
        for address in candidates() {
            do {
                return try await node(address).connectToPrimary(on: eventLoop, onPush: onPush)
            } catch {
                lastError = error
            }
        }
        throw lastError
    }

    /// Reads `CLUSTER SLOTS` from the first node that answers: known primaries first, then the seeds.
    @discardableResult
    package func refreshSlots() async throws -> RedisClusterSlots {
        let task = refreshing.withLock { current in
            if let current { return current }
            let task = Task {
                defer {
                    lastRefresh.withLock { $0 = .now }
                    refreshing.withLock { $0 = nil }
                }
                return try await readSlots()
            }
            current = task
            return task
        }
        return try await task.value
    }

    private func readSlots() async throws -> RedisClusterSlots {
        var lastError: any Error = RedisClientError.unavailable("no cluster node answered CLUSTER SLOTS")
        for address in candidates() {
            do {
                let reply = try await node(address).send([Array("CLUSTER".utf8), Array("SLOTS".utf8)])
                if case .error(let text) = reply { throw RedisClientError.serverError(text) }
                let slots = try RedisClusterSlots(reply: reply, seed: address)
                guard !slots.ranges.isEmpty else { throw RedisClientError.unavailable("the cluster serves no slots yet") }
                map.withLock { $0 = slots }
                return slots
            } catch {
                lastError = error
            }
        }
        throw lastError
    }

    /// What `check-config --live` says of the cluster.
    package func topologySummary() async throws -> String {
        let slots = try await refreshSlots()
        let served = slots.ranges.reduce(0) { $0 + $1.slots.count }
        return "a cluster of \(slots.primaries.count) primar\(slots.primaries.count == 1 ? "y" : "ies") serving \(served) of 16384 slots"
    }

    private func candidates() -> [RedisURL.Address] {
        let known = map.withLock { $0?.primaries ?? [] }
        return known + seeds.filter { !known.contains($0) }
    }

    private func address(for slot: Int?) async throws -> RedisURL.Address {
        if let current = map.withLock({ $0 }) {
            guard let slot else { return current.primaries.first ?? seeds[0] }
            if let address = current.primary(for: slot) { return address }
        }
        let fresh = try await refreshSlots()
        guard let slot else { return fresh.primaries.first ?? seeds[0] }
        guard let address = fresh.primary(for: slot) else { throw RedisClientError.unavailable("no cluster node serves slot \(slot)") }
        return address
    }

    /// The pool for `address`, made on first use with the URL's credentials, TLS and timeouts.
    private func node(_ address: RedisURL.Address) throws -> RedisClient {
        guard !isShutDown.load(ordering: .acquiring) else { throw RedisClientError.shutdown }
        if let client = nodes.withLock({ $0[address] }) { return client }
        var nodeConfiguration = configuration
        nodeConfiguration.endpoint = configuration.endpoint.at(address)
        let made = try RedisClient(configuration: nodeConfiguration, eventLoopGroup: eventLoopGroup, logger: logger)
        return nodes.withLock { nodes in
            if let existing = nodes[address] { return existing }
            nodes[address] = made
            return made
        }
    }

    /// The key a command is routed by: the first key of `EVAL`/`EVALSHA` (after the script and the
    /// key count), the first argument of the keyed commands the store uses; `.some(nil)` for the
    /// keyless ones that any node answers. `nil` for anything else: a command this client does not
    /// know how to route is refused rather than sent to a guessed node.
    static func routingKey(of arguments: [[UInt8]]) -> [UInt8]?? {
        guard let name = arguments.first.map({ String(decoding: $0, as: UTF8.self).uppercased() }) else { return nil }
        switch name {
        case "EVAL", "EVALSHA":
            guard arguments.count > 3, let count = Int(String(decoding: arguments[2], as: UTF8.self)), count > 0 else { return nil }
            return .some(arguments[3])
        case "GET", "SET", "GETDEL", "DEL", "EXISTS", "PEXPIRE", "PTTL", "TYPE", "SADD", "SREM", "SMEMBERS", "ZADD", "ZREM", "ZCARD", "ZRANGE", "ZSCORE":
            return arguments.count > 1 ? .some(arguments[1]) : nil
        case "PING", "INFO":
            return .some(nil)
        default:
            return nil
        }
    }
}

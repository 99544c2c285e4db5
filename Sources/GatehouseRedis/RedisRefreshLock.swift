package import GatehouseSessions
package import Logging

/// The per-session refresh lock across replicas: `SET NX PX` to take it, and
/// owner-checked scripts to renew and release, so a replica whose lease ran out
/// can never release a lock another replica now holds.
///
/// Releasing publishes the session key on one channel; each replica's
/// ``subscriber`` wakes its own waiters, so nobody polls Redis while another
/// replica refreshes.
package struct RedisRefreshLock: RefreshLock {
    private let client: any RedisCommands
    private let keys: RedisKeyspace
    private let signals: RefreshSignals
    /// Run it beside the client (a `Service`); without it waiters fall back to their timeout.
    package let subscriber: RedisSubscriber

    package init(client: RedisClient, prefix: String = "gatehouse:", logger: Logger = Logger(label: "gatehouse.redis.subscriber")) {
        let keys = RedisKeyspace(prefix: prefix)
        let signals = RefreshSignals()
        self.init(client: client, keys: keys, signals: signals, subscriber: RedisSubscriber(
            client: client, channel: keys.refreshReleasedChannel, logger: logger,
            onMessage: Self.onReleased(signals), onSubscribed: { signals.signalAll() }
        ))
    }

    /// The lock on a Redis Cluster: its key shares the session record's hash tag.
    package init(cluster: RedisClusterClient, prefix: String = "gatehouse:", logger: Logger = Logger(label: "gatehouse.redis.subscriber")) {
        let keys = RedisKeyspace(prefix: prefix, clustered: true)
        let signals = RefreshSignals()
        self.init(client: cluster, keys: keys, signals: signals, subscriber: RedisSubscriber(
            cluster: cluster, channel: keys.refreshReleasedChannel, logger: logger,
            onMessage: Self.onReleased(signals), onSubscribed: { signals.signalAll() }
        ))
    }

    private init(client: any RedisCommands, keys: RedisKeyspace, signals: RefreshSignals, subscriber: RedisSubscriber) {
        self.client = client
        self.keys = keys
        self.signals = signals
        self.subscriber = subscriber
    }

    private static func onReleased(_ signals: RefreshSignals) -> @Sendable ([UInt8]) -> Void {
        { payload in
            if let key = SessionKey(rawValue: String(decoding: payload, as: UTF8.self)) { signals.signal(key) }
        }
    }

    private static let renewScript = RedisScript("""
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end
        """)
    private static let releaseScript = RedisScript("""
        if redis.call('GET', KEYS[1]) == ARGV[1] then
          redis.call('DEL', KEYS[1])
          redis.call('PUBLISH', ARGV[2], ARGV[3])
          return 1
        end
        return 0
        """)

    package func acquire(_ key: SessionKey, owner: LockOwner, lease: Duration) async throws -> Bool {
        try await mappingRedisErrors {
            try await client.set(keys.refreshLock(key), to: Array(owner.token.utf8), expiry: .milliseconds(lease.redisMilliseconds), onlyIfAbsent: true)
        }
    }

    package func renew(_ key: SessionKey, owner: LockOwner, lease: Duration) async throws -> Bool {
        try await mappingRedisErrors {
            let reply = try await client.eval(
                Self.renewScript, keys: [keys.refreshLock(key)],
                arguments: [Array(owner.token.utf8), Array(String(lease.redisMilliseconds).utf8)]
            )
            return reply.integer == 1
        }
    }

    package func release(_ key: SessionKey, owner: LockOwner) async throws -> Bool {
        try await mappingRedisErrors {
            try await client.eval(
                Self.releaseScript, keys: [keys.refreshLock(key)],
                arguments: [Array(owner.token.utf8), Array(keys.refreshReleasedChannel.utf8), Array(key.rawValue.utf8)]
            ).integer == 1
        }
    }

    package func acquireOrWait(_ key: SessionKey, owner: LockOwner, lease: Duration, timeout: Duration) async throws -> RefreshLockOutcome {
        try await signals.acquireOrWait(key, timeout: timeout) { try await acquire(key, owner: owner, lease: lease) }
    }
}

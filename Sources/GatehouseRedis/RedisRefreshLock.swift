public import GatehouseSessions

/// The per-session refresh lock across replicas: `SET NX PX` to take it, and
/// owner-checked scripts to renew and release, so a replica whose lease ran out
/// can never release a lock another replica now holds.
public struct RedisRefreshLock: RefreshLock {
    private let client: RedisClient
    private let keys: RedisKeyspace

    public init(client: RedisClient, prefix: String = "gatehouse:") {
        self.client = client
        self.keys = RedisKeyspace(prefix: prefix)
    }

    private static let renewScript = RedisScript("""
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end
        """)
    private static let releaseScript = RedisScript("""
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end
        """)

    public func acquire(_ key: SessionKey, owner: LockOwner, lease: Duration) async throws -> Bool {
        try await mappingRedisErrors {
            try await client.set(keys.refreshLock(key), to: Array(owner.token.utf8), expiry: .milliseconds(lease.redisMilliseconds), onlyIfAbsent: true)
        }
    }

    public func renew(_ key: SessionKey, owner: LockOwner, lease: Duration) async throws -> Bool {
        try await mappingRedisErrors {
            let reply = try await client.eval(
                Self.renewScript, keys: [keys.refreshLock(key)],
                arguments: [Array(owner.token.utf8), Array(String(lease.redisMilliseconds).utf8)]
            )
            return reply.integer == 1
        }
    }

    public func release(_ key: SessionKey, owner: LockOwner) async throws -> Bool {
        try await mappingRedisErrors {
            try await client.eval(Self.releaseScript, keys: [keys.refreshLock(key)], arguments: [Array(owner.token.utf8)]).integer == 1
        }
    }
}

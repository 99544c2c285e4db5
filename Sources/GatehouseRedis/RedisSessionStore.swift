public import Logging
public import GatehouseSessions

/// Sessions in Redis: sealed records under hashed keys, index sets by subject
/// and `sid` for back-channel logout, take-once login state, `jti` replay marks.
///
/// Multi-key changes run as Lua scripts so a record is never saved without its
/// indexes. The scripts build session keys from the prefix, so this store
/// targets standalone (or replicated) Redis, not Redis Cluster.
public struct RedisSessionStore: SessionStore {
    private let client: RedisClient
    private let keys: RedisKeyspace

    /// - Parameter prefix: put in front of every key, to share a Redis between deployments.
    public init(client: RedisClient, prefix: String = "gatehouse:") {
        self.client = client
        self.keys = RedisKeyspace(prefix: prefix)
    }

    // KEYS: session, index… ARGV: sealed, ttl ms, member. Index TTLs only grow,
    // so an index outlives every session in it.
    private static let saveScript = RedisScript("""
        redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
        for i = 2, #KEYS do
          redis.call('SADD', KEYS[i], ARGV[3])
          if redis.call('PTTL', KEYS[i]) < tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[i], ARGV[2]) end
        end
        return 1
        """)

    // KEYS: session, index… ARGV: ttl ms. Slides the session; indexes only grow.
    private static let touchScript = RedisScript("""
        if redis.call('PEXPIRE', KEYS[1], ARGV[1]) == 0 then return 0 end
        for i = 2, #KEYS do
          if redis.call('PTTL', KEYS[i]) < tonumber(ARGV[1]) then redis.call('PEXPIRE', KEYS[i], ARGV[1]) end
        end
        return 1
        """)

    // KEYS: index. ARGV: session key prefix. Deletes every session listed, then the index.
    private static let deleteAllScript = RedisScript("""
        local members = redis.call('SMEMBERS', KEYS[1])
        local deleted = 0
        for _, member in ipairs(members) do
          deleted = deleted + redis.call('DEL', ARGV[1] .. member)
          redis.call('PUBLISH', ARGV[2], member)
        end
        redis.call('DEL', KEYS[1])
        return deleted
        """)

    public func save(_ key: SessionKey, sealed: [UInt8], subject: String, sid: String?, ttl: Duration) async throws {
        try await mappingRedisErrors {
            _ = try await client.eval(
                Self.saveScript,
                keys: [keys.session(key)] + keys.indexes(subject: subject, sid: sid),
                arguments: [sealed, Array(String(ttl.redisMilliseconds).utf8), Array(key.rawValue.utf8)]
            )
        }
    }

    public func load(_ key: SessionKey) async throws -> [UInt8]? {
        try await mappingRedisErrors { try await client.get(keys.session(key)) }
    }

    public func touch(_ key: SessionKey, subject: String, sid: String?, ttl: Duration) async throws -> Bool {
        try await mappingRedisErrors {
            let reply = try await client.eval(
                Self.touchScript,
                keys: [keys.session(key)] + keys.indexes(subject: subject, sid: sid),
                arguments: [Array(String(ttl.redisMilliseconds).utf8)]
            )
            return reply.integer == 1
        }
    }

    public func delete(_ key: SessionKey, subject: String?, sid: String?) async throws {
        let member = [Array(key.rawValue.utf8)]
        try await mappingRedisErrors {
            var commands: [[[UInt8]]] = [[Array("DEL".utf8), Array(keys.session(key).utf8)]]
            for index in keys.indexes(subject: subject, sid: sid) {
                commands.append([Array("SREM".utf8), Array(index.utf8)] + member)
            }
            commands.append([Array("PUBLISH".utf8), Array(keys.sessionEndedChannel.utf8)] + member)
            for reply in try await client.pipeline(commands) {
                if case .error(let message) = reply { throw RedisClientError.serverError(message) }
            }
        }
    }

    public func keys(subject: String) async throws -> [SessionKey] {
        try await mappingRedisErrors {
            try await client.smembers(keys.subjectIndex(subject)).compactMap { SessionKey(rawValue: String(decoding: $0, as: UTF8.self)) }
        }
    }

    public func deleteAll(subject: String) async throws -> Int {
        try await deleteAll(index: keys.subjectIndex(subject))
    }

    public func deleteAll(sid: String) async throws -> Int {
        try await deleteAll(index: keys.sidIndex(sid))
    }

    public func putLoginState(_ sealed: [UInt8], handle: String, ttl: Duration) async throws {
        try await mappingRedisErrors {
            _ = try await client.set(keys.loginState(handle), to: sealed, expiry: .milliseconds(ttl.redisMilliseconds))
        }
    }

    public func takeLoginState(_ handle: String) async throws -> [UInt8]? {
        try await mappingRedisErrors { try await client.getDel(keys.loginState(handle)) }
    }

    public func markSeen(jti: String, ttl: Duration) async throws -> Bool {
        try await mappingRedisErrors {
            try await client.set(keys.seenJTI(jti), to: [0x31], expiry: .milliseconds(ttl.redisMilliseconds), onlyIfAbsent: true)
        }
    }

    private func deleteAll(index: String) async throws -> Int {
        try await mappingRedisErrors {
            let reply = try await client.eval(
                Self.deleteAllScript, keys: [index], arguments: [Array(keys.sessionPrefix.utf8), Array(keys.sessionEndedChannel.utf8)]
            )
            return Int(reply.integer ?? 0)
        }
    }

    /// A subscriber that tells `onEnded` about every session ended on any replica
    /// (and `onGap` after each (re)subscription, when messages may have been missed).
    /// Run it as a `Service` beside the client.
    public func endedSessions(
        logger: Logger = Logger(label: "gatehouse.redis.subscriber"),
        onEnded: @escaping @Sendable (SessionKey) -> Void, onGap: @escaping @Sendable () -> Void
    ) -> RedisSubscriber {
        RedisSubscriber(
            client: client, channel: keys.sessionEndedChannel, logger: logger,
            onMessage: { payload in
                if let key = SessionKey(rawValue: String(decoding: payload, as: UTF8.self)) { onEnded(key) }
            },
            onSubscribed: onGap
        )
    }
}

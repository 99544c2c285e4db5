package import Logging
package import GatehouseSessions

/// Sessions in Redis: sealed records under hashed keys, indexes by subject and
/// `sid` for back-channel logout, take-once login state, `jti` replay marks.
///
/// The indexes are sorted sets scored by each session's expiry (ms, Redis's
/// clock), pruned of expired members on every write, so they hold only live
/// sessions; each index key expires with its longest-lived member.
///
/// On one server (standalone or behind Sentinel) multi-key changes run as Lua scripts, so a
/// record is never saved without its indexes.
///
/// On Redis Cluster a record and its indexes live in different slots, so no script can hold
/// them all. There each change is a short sequence in the order that fails safe: the indexes are
/// written (with a second's slack on their expiry, for clock skew between nodes) before the
/// record is saved or slid, and cleaned after it is deleted. An interruption leaves at worst an
/// index entry whose record is gone, which `keys` and `deleteAll` skip — never a live record that
/// back-channel logout or the sessions API cannot find.
package struct RedisSessionStore: SessionStore {
    private let client: any RedisCommands
    private let keys: RedisKeyspace
    private let subscribe: @Sendable (_ channel: String, _ logger: Logger, _ onMessage: @escaping @Sendable ([UInt8]) -> Void, _ onSubscribed: @escaping @Sendable () -> Void) -> RedisSubscriber

    /// - Parameter prefix: put in front of every key, to share a Redis between deployments.
    package init(client: RedisClient, prefix: String = "gatehouse:") {
        self.client = client
        self.keys = RedisKeyspace(prefix: prefix)
        self.subscribe = { RedisSubscriber(client: client, channel: $0, logger: $1, onMessage: $2, onSubscribed: $3) }
    }

    /// Sessions on a Redis Cluster (the hash-tagged layout of ``RedisKeyspace``).
    package init(cluster: RedisClusterClient, prefix: String = "gatehouse:") {
        self.client = cluster
        self.keys = RedisKeyspace(prefix: prefix, clustered: true)
        self.subscribe = { RedisSubscriber(cluster: cluster, channel: $0, logger: $1, onMessage: $2, onSubscribed: $3) }
    }

    /// Members per `deleteAll` script call: each call blocks Redis for about this many `DEL`s
    /// and `PUBLISH`es (well under a millisecond), however big the index.
    static let deleteBatchSize = 100

    // Shared by the scripts below. Index entries are scored by their session's expiry in ms on
    // Redis's own clock (`TIME`), the clock that expires the records: replicas' clocks may be
    // skewed, and a replica running ahead must not prune sessions Redis still holds.
    // `string.format('%d')` keeps scores and PEXPIREAT arguments integers, whatever number
    // formatting this Redis version uses for Lua numbers.
    private static let helpers = """
        local function now_ms()
          local t = redis.call('TIME')
          return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        end
        -- An index written by an older Gatehouse is a plain set: convert it once, scoring each
        -- member by its record's expiry and dropping members whose record is gone.
        local function as_zset(index, session_prefix, now)
          if redis.call('TYPE', index).ok ~= 'set' then return end
          local members = redis.call('SMEMBERS', index)
          redis.call('DEL', index)
          for _, m in ipairs(members) do
            local ttl = redis.call('PTTL', session_prefix .. m)
            if ttl > 0 then redis.call('ZADD', index, string.format('%d', now + ttl), m) end
          end
        end
        -- The index lives exactly as long as its longest-lived member (an empty one is gone).
        local function expire_index(index)
          local last = redis.call('ZRANGE', index, -1, -1, 'WITHSCORES')
          if last[2] then redis.call('PEXPIREAT', index, string.format('%d', tonumber(last[2]))) end
        end
        -- Every write to an index first prunes the members that have expired.
        local function prune(index, session_prefix, now)
          as_zset(index, session_prefix, now)
          redis.call('ZREMRANGEBYSCORE', index, '-inf', now)
        end
        local function add_to_indexes(first, now, expiry, member, session_prefix)
          for i = first, #KEYS do
            prune(KEYS[i], session_prefix, now)
            redis.call('ZADD', KEYS[i], string.format('%d', expiry), member)
            expire_index(KEYS[i])
          end
        end

        """

    // KEYS: session, index… ARGV: sealed, ttl ms, member, session prefix.
    private static let saveScript = RedisScript(helpers + """
        local now = now_ms()
        redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
        add_to_indexes(2, now, now + tonumber(ARGV[2]), ARGV[3], ARGV[4])
        return 1
        """)

    // KEYS: session, [refresh lock,] index… ARGV: sealed, ttl ms, member, session prefix,
    // '1' when fenced, lock owner token. Writes only over a live record, and only for the lock holder.
    private static let replaceScript = RedisScript(helpers + """
        if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
        local first = 2
        if ARGV[5] == '1' then
          if redis.call('GET', KEYS[2]) ~= ARGV[6] then return 0 end
          first = 3
        end
        local now = now_ms()
        redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
        add_to_indexes(first, now, now + tonumber(ARGV[2]), ARGV[3], ARGV[4])
        return 1
        """)

    // KEYS: session, index… ARGV: ttl ms, member, session prefix. Slides the session and its
    // index entries' scores; the indexes' own expiry follows their longest member.
    private static let touchScript = RedisScript(helpers + """
        if redis.call('PEXPIRE', KEYS[1], ARGV[1]) == 0 then return 0 end
        local now = now_ms()
        add_to_indexes(2, now, now + tonumber(ARGV[1]), ARGV[2], ARGV[3])
        return 1
        """)

    // KEYS: session, index… ARGV: ttl ms, member, session prefix, expected record, new record.
    // Like touchScript; the record is replaced only while it is still the one the caller read.
    private static let touchRewriteScript = RedisScript(helpers + """
        local current = redis.call('GET', KEYS[1])
        if not current then return 0 end
        local result = 1
        if current == ARGV[4] then
          redis.call('SET', KEYS[1], ARGV[5], 'PX', ARGV[1])
          result = 2
        else
          redis.call('PEXPIRE', KEYS[1], ARGV[1])
        end
        local now = now_ms()
        add_to_indexes(2, now, now + tonumber(ARGV[1]), ARGV[2], ARGV[3])
        return result
        """)

    // KEYS: session, index… ARGV: member, session-ended channel, session prefix.
    private static let deleteScript = RedisScript(helpers + """
        redis.call('DEL', KEYS[1])
        local now = now_ms()
        for i = 2, #KEYS do
          prune(KEYS[i], ARGV[3], now)
          redis.call('ZREM', KEYS[i], ARGV[1])
          expire_index(KEYS[i])
        end
        redis.call('PUBLISH', ARGV[2], ARGV[1])
        return 1
        """)

    // KEYS: index. ARGV: session prefix. The live members; drops those whose record was deleted
    // without this index being named (an unreadable record, or an end through the other index).
    private static let keysScript = RedisScript(helpers + """
        local now = now_ms()
        prune(KEYS[1], ARGV[1], now)
        local live, dead = {}, {}
        for _, m in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
          if redis.call('EXISTS', ARGV[1] .. m) == 1 then live[#live + 1] = m else dead[#dead + 1] = m end
        end
        for i = 1, #dead, 100 do redis.call('ZREM', KEYS[1], unpack(dead, i, math.min(i + 99, #dead))) end
        return live
        """)

    // KEYS: index. ARGV: session prefix, session-ended channel, batch size. Ends at most one batch
    // of the index's live sessions; returns {records deleted, members left}.
    private static let deleteBatchScript = RedisScript(helpers + """
        local now = now_ms()
        prune(KEYS[1], ARGV[1], now)
        local members = redis.call('ZRANGE', KEYS[1], 0, tonumber(ARGV[3]) - 1)
        local deleted = 0
        for _, m in ipairs(members) do
          deleted = deleted + redis.call('DEL', ARGV[1] .. m)
          redis.call('PUBLISH', ARGV[2], m)
        end
        if #members > 0 then redis.call('ZREM', KEYS[1], unpack(members)) end
        return {deleted, redis.call('ZCARD', KEYS[1])}
        """)

    // Cluster: one index at a time. KEYS: index. ARGV: ms until the entry expires, member.
    private static let clusterIndexAddScript = RedisScript(helpers + """
        local now = now_ms()
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
        redis.call('ZADD', KEYS[1], string.format('%d', now + tonumber(ARGV[1])), ARGV[2])
        expire_index(KEYS[1])
        return 1
        """)

    // Cluster. KEYS: index. ARGV: member…
    private static let clusterIndexRemoveScript = RedisScript(helpers + """
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now_ms())
        redis.call('ZREM', KEYS[1], unpack(ARGV))
        expire_index(KEYS[1])
        return 1
        """)

    // Cluster. KEYS: index. ARGV: how many (0: all). Returns {live members left, member…}.
    private static let clusterIndexRangeScript = RedisScript(helpers + """
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now_ms())
        local members = redis.call('ZRANGE', KEYS[1], 0, tonumber(ARGV[1]) - 1)
        table.insert(members, 1, redis.call('ZCARD', KEYS[1]))
        return members
        """)

    // Cluster. KEYS: session, its ended mark. ARGV: session-ended channel, member, mark ttl ms.
    // Returns the records deleted (0 or 1). The mark stops a save of this session that is still
    // in flight (its index entry written, its record not yet) from bringing it back.
    private static let clusterEndScript = RedisScript("""
        local deleted = redis.call('DEL', KEYS[1])
        redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
        redis.call('PUBLISH', ARGV[1], ARGV[2])
        return deleted
        """)

    // Cluster. KEYS: session, its ended mark. ARGV: sealed, ttl ms. Writes nothing for a session
    // that a logout of its user or provider session ended meanwhile.
    private static let clusterSaveScript = RedisScript("""
        if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
        redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
        return 1
        """)

    /// How long an ended mark outlives its session's end: far longer than a save takes.
    static let clusterEndedMarkLifetime: Duration = .seconds(60)

    /// Slack on index entries' expiry on a cluster, where the index's node and the record's node
    /// keep their own clocks: an entry must not lapse while its record lives (NTP keeps nodes
    /// milliseconds apart; this allows a second).
    static let clusterIndexSlack: Duration = .seconds(1)

    /// Cluster: adds or re-scores the session in its indexes, before the record is written.
    private func indexBeforeWrite(_ key: SessionKey, subject: String?, sid: String?, ttl: Duration) async throws {
        guard keys.clustered else { return }
        for index in keys.indexes(subject: subject, sid: sid) {
            _ = try await client.eval(
                Self.clusterIndexAddScript, keys: [index],
                arguments: [Array(String((ttl + Self.clusterIndexSlack).redisMilliseconds).utf8), Array(key.rawValue.utf8)]
            )
        }
    }

    /// Cluster: takes members out of an index, after their records were deleted.
    private func unindex(_ members: [String], from index: String) async throws {
        guard !members.isEmpty else { return }
        _ = try await client.eval(Self.clusterIndexRemoveScript, keys: [index], arguments: members.map { Array($0.utf8) })
    }

    /// Cluster: the index's live members (at most `limit`, 0 for all) and how many it holds.
    private func members(of index: String, limit: Int) async throws -> (members: [String], count: Int) {
        let reply = try await client.eval(Self.clusterIndexRangeScript, keys: [index], arguments: [Array(String(limit).utf8)])
        guard let items = reply.array, let count = items.first?.integer else { throw RedisClientError.unexpectedReply("EVALSHA") }
        return (items.dropFirst().compactMap { $0.bytes.map { String(decoding: $0, as: UTF8.self) } }, Int(count))
    }

    /// The record keys a script may touch beside the session's: on a cluster only those in its slot.
    private func scriptKeys(_ key: SessionKey, subject: String?, sid: String?) -> [String] {
        [keys.session(key)] + (keys.clustered ? [] : keys.indexes(subject: subject, sid: sid))
    }

    package func save(_ key: SessionKey, sealed: [UInt8], subject: String, sid: String?, ttl: Duration) async throws {
        try await mappingRedisErrors {
            guard keys.clustered else {
                _ = try await client.eval(
                    Self.saveScript,
                    keys: [keys.session(key)] + keys.indexes(subject: subject, sid: sid),
                    arguments: [sealed, Array(String(ttl.redisMilliseconds).utf8), Array(key.rawValue.utf8), Array(keys.sessionPrefix.utf8)]
                )
                return
            }
            try await indexBeforeWrite(key, subject: subject, sid: sid, ttl: ttl)
            let saved = try await client.eval(
                Self.clusterSaveScript, keys: [keys.session(key), keys.endedMark(key)], arguments: [sealed, Array(String(ttl.redisMilliseconds).utf8)]
            )
            guard saved.integer == 1 else { throw SessionStoreError.failed("the session was ended while it was being saved") }
        }
    }

    package func replace(_ key: SessionKey, sealed: [UInt8], subject: String, sid: String?, ttl: Duration, fence: LockOwner?) async throws -> Bool {
        try await mappingRedisErrors {
            let lock = fence.map { _ in [keys.refreshLock(key)] } ?? []
            try await indexBeforeWrite(key, subject: subject, sid: sid, ttl: ttl)
            let reply = try await client.eval(
                Self.replaceScript,
                keys: [keys.session(key)] + lock + (keys.clustered ? [] : keys.indexes(subject: subject, sid: sid)),
                arguments: [
                    sealed, Array(String(ttl.redisMilliseconds).utf8), Array(key.rawValue.utf8), Array(keys.sessionPrefix.utf8),
                    Array((fence == nil ? "0" : "1").utf8), Array((fence?.token ?? "").utf8),
                ]
            )
            return reply.integer == 1
        }
    }

    package func load(_ key: SessionKey) async throws -> [UInt8]? {
        try await mappingRedisErrors { try await client.get(keys.session(key)) }
    }

    package func touch(_ key: SessionKey, subject: String, sid: String?, ttl: Duration) async throws -> Bool {
        try await mappingRedisErrors {
            try await indexBeforeWrite(key, subject: subject, sid: sid, ttl: ttl)
            let reply = try await client.eval(
                Self.touchScript,
                keys: scriptKeys(key, subject: subject, sid: sid),
                arguments: [Array(String(ttl.redisMilliseconds).utf8), Array(key.rawValue.utf8), Array(keys.sessionPrefix.utf8)]
            )
            return reply.integer == 1
        }
    }

    package func touch(
        _ key: SessionKey, subject: String, sid: String?, ttl: Duration, replacing expected: [UInt8], with sealed: [UInt8]
    ) async throws -> SessionTouch {
        try await mappingRedisErrors {
            try await indexBeforeWrite(key, subject: subject, sid: sid, ttl: ttl)
            let reply = try await client.eval(
                Self.touchRewriteScript,
                keys: scriptKeys(key, subject: subject, sid: sid),
                arguments: [Array(String(ttl.redisMilliseconds).utf8), Array(key.rawValue.utf8), Array(keys.sessionPrefix.utf8), expected, sealed]
            )
            switch reply.integer {
            case 2: return .rewritten
            case 1: return .touched
            default: return .gone
            }
        }
    }

    package func delete(_ key: SessionKey, subject: String?, sid: String?) async throws {
        try await mappingRedisErrors {
            _ = try await client.eval(
                Self.deleteScript,
                keys: scriptKeys(key, subject: subject, sid: sid),
                arguments: [Array(key.rawValue.utf8), Array(keys.sessionEndedChannel.utf8), Array(keys.sessionPrefix.utf8)]
            )
            guard keys.clustered else { return }
            for index in keys.indexes(subject: subject, sid: sid) { try await unindex([key.rawValue], from: index) }
        }
    }

    package func keys(subject: String) async throws -> [SessionKey] {
        try await mappingRedisErrors {
            guard !keys.clustered else { return try await clusterKeys(subject: subject) }
            let reply = try await client.eval(Self.keysScript, keys: [keys.subjectIndex(subject)], arguments: [Array(keys.sessionPrefix.utf8)])
            guard let members = reply.array else { throw RedisClientError.unexpectedReply("EVALSHA") }
            return members.compactMap { $0.bytes.flatMap { SessionKey(rawValue: String(decoding: $0, as: UTF8.self)) } }
        }
    }

    package func deleteAll(subject: String) async throws -> Int {
        try await deleteAll(index: keys.subjectIndex(subject))
    }

    package func deleteAll(sid: String) async throws -> Int {
        try await deleteAll(index: keys.sidIndex(sid))
    }

    package func putLoginState(_ sealed: [UInt8], handle: String, ttl: Duration) async throws {
        try await mappingRedisErrors {
            _ = try await client.set(keys.loginState(handle), to: sealed, expiry: .milliseconds(ttl.redisMilliseconds))
        }
    }

    package func takeLoginState(_ handle: String) async throws -> [UInt8]? {
        try await mappingRedisErrors { try await client.getDel(keys.loginState(handle)) }
    }

    package func markSeen(jti: String, ttl: Duration) async throws -> Bool {
        try await mappingRedisErrors {
            try await client.set(keys.seenJTI(jti), to: [0x31], expiry: .milliseconds(ttl.redisMilliseconds), onlyIfAbsent: true)
        }
    }

    /// Ends an index's sessions one batch per script call, so Redis serves other clients between
    /// batches. The rounds are bounded by the index's size after the first batch: sessions that
    /// logins add meanwhile cannot keep the loop going.
    private func deleteAll(index: String) async throws -> Int {
        try await mappingRedisErrors {
            guard !keys.clustered else { return try await clusterDeleteAll(index: index) }
            var (total, remaining) = try await deleteBatch(index: index)
            var rounds = (remaining + Self.deleteBatchSize - 1) / Self.deleteBatchSize + 1
            while remaining > 0 && rounds > 0 {
                let (deleted, left) = try await deleteBatch(index: index)
                total += deleted
                remaining = left
                rounds -= 1
            }
            return total
        }
    }

    private func deleteBatch(index: String) async throws -> (deleted: Int, remaining: Int) {
        let reply = try await client.eval(
            Self.deleteBatchScript, keys: [index],
            arguments: [Array(keys.sessionPrefix.utf8), Array(keys.sessionEndedChannel.utf8), Array(String(Self.deleteBatchSize).utf8)]
        )
        guard let counts = reply.array, counts.count == 2, let deleted = counts[0].integer, let remaining = counts[1].integer else {
            throw RedisClientError.unexpectedReply("EVALSHA")
        }
        return (Int(deleted), Int(remaining))
    }

    /// Cluster: the index's members whose record exists. Entries without a record stay until their
    /// expiry prunes them: one may be a login whose record is being written right now.
    private func clusterKeys(subject: String) async throws -> [SessionKey] {
        var live: [SessionKey] = []
        for member in try await members(of: keys.subjectIndex(subject), limit: 0).members {
            guard let key = SessionKey(rawValue: member) else { continue }
            let exists = try await client.send([Array("EXISTS".utf8), Array(keys.session(key).utf8)])
            if exists.integer == 1 { live.append(key) }
        }
        return live
    }

    /// Cluster: ends an index's sessions a batch at a time — each record deleted on its own node
    /// and announced — then takes the batch out of the index; as many rounds as the index first held.
    private func clusterDeleteAll(index: String) async throws -> Int {
        var (batch, count) = try await members(of: index, limit: Self.deleteBatchSize)
        var rounds = (count + Self.deleteBatchSize - 1) / Self.deleteBatchSize + 1
        var total = 0
        while !batch.isEmpty && rounds > 0 {
            for member in batch {
                guard let key = SessionKey(rawValue: member) else { continue }
                let reply = try await client.eval(
                    Self.clusterEndScript, keys: [keys.session(key), keys.endedMark(key)],
                    arguments: [Array(keys.sessionEndedChannel.utf8), Array(member.utf8), Array(String(Self.clusterEndedMarkLifetime.redisMilliseconds).utf8)]
                )
                total += Int(reply.integer ?? 0)
            }
            try await unindex(batch, from: index)
            (batch, count) = try await members(of: index, limit: Self.deleteBatchSize)
            rounds -= 1
        }
        return total
    }

    /// A subscriber that announces every session ended on any replica to `endings` (and a gap
    /// after each (re)subscription). Run it as a `Service` beside the client.
    package func endedSessions(announcingTo endings: SessionEndings, logger: Logger = Logger(label: "gatehouse.redis.subscriber")) -> RedisSubscriber {
        endedSessions(logger: logger, onEnded: { endings.ended($0) }, onGap: { endings.gap() })
    }

    /// A subscriber that tells `onEnded` about every session ended on any replica
    /// (and `onGap` after each (re)subscription, when messages may have been missed).
    /// Run it as a `Service` beside the client.
    package func endedSessions(
        logger: Logger = Logger(label: "gatehouse.redis.subscriber"),
        onEnded: @escaping @Sendable (SessionKey) -> Void, onGap: @escaping @Sendable () -> Void
    ) -> RedisSubscriber {
        subscribe(keys.sessionEndedChannel, logger, { payload in
            if let key = SessionKey(rawValue: String(decoding: payload, as: UTF8.self)) { onEnded(key) }
        }, onGap)
    }
}

import Foundation
import GatehouseRedis
import GatehouseSessions
import GatehouseTestSupport
import Logging
import Testing

/// What the conformance suite cannot see from outside a store: how the Redis indexes are kept.
@Suite("Redis session indexes: sorted sets of live sessions, ended in batches")
struct RedisSessionIndexTests {
    @Test("deleteAll over 1000 sessions runs in batches of at most 100 and announces every ended session")
    func batchedDeleteAll() async throws {
        try await withRedis { _, client in
            let store = RedisSessionStore(client: client, prefix: "t-\(UUID().uuidString):")
            let subject = "user-batch"
            let keys = (0..<1000).map { _ in SessionStoreConformance.newKey() }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for slice in stride(from: 0, to: keys.count, by: 50) {
                    group.addTask {
                        for key in keys[slice..<slice + 50] {
                            try await store.save(key, sealed: [1], subject: subject, sid: nil, ttl: .seconds(600))
                        }
                    }
                }
                try await group.waitForAll()
            }
            let ended = KeyCounter()
            let subscribers = SubscriberTasks()
            try await subscribers.start(store.endedSessions(logger: Logger(label: "test"), onEnded: { ended.add($0) }, onGap: {}))
            let scriptCallsBefore = try await client.scriptCalls()
            let deleted = try await store.deleteAll(subject: subject)
            let scriptCalls = try await client.scriptCalls() - scriptCallsBefore
            #expect(deleted == 1000)
            #expect(scriptCalls >= 10, "1000 members in batches of at most 100 take at least 10 script calls, not one")
            #expect(scriptCalls <= 12, "and the loop stops once the index is empty")
            try await waitUntil("every ended session was announced", limit: .seconds(20)) { ended.count == 1000 }
            #expect(ended.keys == Set(keys))
            await subscribers.stop()
        }
    }

    @Test("the index key expires with its longest-lived member, and a touch extends it")
    func indexExpiryFollowsTheLongestMember() async throws {
        try await withRedis { _, client in
            let prefix = "t-\(UUID().uuidString):"
            let store = RedisSessionStore(client: client, prefix: prefix)
            let index = prefix + "sub:" + SessionKey(hashing: "u").rawValue
            let (long, short) = (SessionStoreConformance.newKey(), SessionStoreConformance.newKey())
            try await store.save(long, sealed: [1], subject: "u", sid: nil, ttl: .seconds(300))
            try await store.save(short, sealed: [2], subject: "u", sid: nil, ttl: .seconds(10))
            let afterSaves = try await client.pttl(index)
            #expect(afterSaves > 295_000 && afterSaves <= 300_000, "not cut to the last, shorter save: \(afterSaves)")
            #expect(try await store.touch(short, subject: "u", sid: nil, ttl: .seconds(900)))
            let afterTouch = try await client.pttl(index)
            #expect(afterTouch > 895_000 && afterTouch <= 900_000, "\(afterTouch)")
            #expect(try await client.zcard(index) == 2)
        }
    }

    @Test("an index left as a plain set by an older Gatehouse is converted, not a WRONGTYPE error")
    func legacySetIndex() async throws {
        try await withRedis { _, client in
            let prefix = "t-\(UUID().uuidString):"
            let store = RedisSessionStore(client: client, prefix: prefix)
            let index = prefix + "sub:" + SessionKey(hashing: "u").rawValue
            let (live, gone, fresh) = (SessionStoreConformance.newKey(), SessionStoreConformance.newKey(), SessionStoreConformance.newKey())
            try await client.set(prefix + "s:" + live.rawValue, to: [1], expiry: .seconds(300))
            try await client.sadd(index, [Array(live.rawValue.utf8), Array(gone.rawValue.utf8)])
            try await store.save(fresh, sealed: [2], subject: "u", sid: nil, ttl: .seconds(300))
            #expect(Set(try await store.keys(subject: "u")) == [live, fresh])
            #expect(try await client.zcard(index) == 2, "the member without a record was dropped")
            #expect(try await store.deleteAll(subject: "u") == 2)
        }
    }

    @Test("the vault ends a user's oldest sessions beyond a limit, over Redis")
    func endOldest() async throws {
        try await withRedis { _, client in
            let store = RedisSessionStore(client: client, prefix: "t-\(UUID().uuidString):")
            try await SessionVaultChecks.endOldestKeepsTheNewest(store: store, now: Date())
        }
    }

    @Test("the vault's fenced write-back over Redis: refused after an end or without the lock")
    func fencedReplace() async throws {
        try await withRedis { _, client in
            let prefix = "t-\(UUID().uuidString):"
            let store = RedisSessionStore(client: client, prefix: prefix)
            let lock = RedisRefreshLock(client: client, prefix: prefix)
            try await SessionVaultChecks.replaceIsFencedAndKeepsTheCacheHonest(store: store, lock: lock, now: Date())
        }
    }
}

/// Session keys announced as ended.
final class KeyCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var seen: Set<SessionKey> = []
    func add(_ key: SessionKey) { lock.withLock { _ = seen.insert(key) } }
    var count: Int { lock.withLock { seen.count } }
    var keys: Set<SessionKey> { lock.withLock { seen } }
}

extension RedisClient {
    /// How many `EVALSHA`/`EVAL` calls this Redis has served (`INFO commandstats`).
    func scriptCalls() async throws -> Int {
        let reply = try await send([Array("INFO".utf8), Array("commandstats".utf8)])
        let text = String(decoding: reply.bytes ?? [], as: UTF8.self)
        var calls = 0
        for line in text.split(whereSeparator: \.isNewline) where line.hasPrefix("cmdstat_evalsha:") || line.hasPrefix("cmdstat_eval:") {
            if let field = line.split(separator: ":").last?.split(separator: ",").first(where: { $0.hasPrefix("calls=") }) {
                calls += Int(field.dropFirst("calls=".count)) ?? 0
            }
        }
        return calls
    }
}

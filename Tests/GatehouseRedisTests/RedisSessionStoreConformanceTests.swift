import Foundation
import GatehouseRedis
import GatehouseSessions
import GatehouseTestSupport
import Testing

/// The same conformance suites the memory store passes, against a real
/// redis-server: TTLs are real, so time passes by waiting on short TTLs.
@Suite("Redis store and lock pass the session conformance suites")
struct RedisSessionStoreConformanceTests {
    @Test("RedisSessionStore passes the session store conformance suite", arguments: SessionStoreConformance.Check.allCases)
    func store(check: SessionStoreConformance.Check) async throws {
        try await withRedis { _, client in
            let prefixes = PrefixBox()
            let suite = SessionStoreConformance(
                ttl: .seconds(8), // a loaded CI machine stalled a 3 s TTL's 1.8 s wait by over a second: the record expired before its touch
                // A fresh prefix gives each store its own empty keyspace; the lock shares it.
                makeStoreAndLock: {
                    let prefix = "t-\(UUID().uuidString):"
                    prefixes.value = prefix
                    return (RedisSessionStore(client: client, prefix: prefix), RedisRefreshLock(client: client, prefix: prefix))
                },
                letTimePass: { try await Task.sleep(for: $0 + .milliseconds(50)) },
                indexEntryCount: { _, subject in
                    try await client.zcard(prefixes.value + "sub:" + SessionKey(hashing: subject).rawValue)
                }
            )
            try await suite.run(check)
        }
    }

    @Test("RedisRefreshLock passes the refresh lock conformance suite", arguments: RefreshLockConformance.Check.allCases)
    func lock(check: RefreshLockConformance.Check) async throws {
        try await withRedis { _, client in
            let subscribers = SubscriberTasks()
            let suite = RefreshLockConformance(
                lease: .seconds(6), // long enough that a loaded machine stalling the test for a second or two does not end it
                makeLock: {
                    let lock = RedisRefreshLock(client: client, prefix: "t-\(UUID().uuidString):")
                    try await subscribers.start(lock.subscriber)
                    return lock
                },
                letTimePass: { try await Task.sleep(for: $0 + .milliseconds(50)) }
            )
            do {
                try await suite.run(check)
            } catch {
                await subscribers.stop()
                throw error
            }
            await subscribers.stop()
        }
    }

    @Test("a Redis outage surfaces as SessionStoreError.unavailable, the 503 signal")
    func outageIsUnavailable() async throws {
        try await withRedis { server, client in
            let store = RedisSessionStore(client: client)
            await server.kill()
            do {
                _ = try await store.load(SessionKey(hashing: "x"))
                Issue.record("a dead Redis must not look like an empty one")
            } catch let error as SessionStoreError {
                #expect(error.isUnavailable)
            }
        }
    }
}

/// The prefix of the store a conformance check made (one store per check).
final class PrefixBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored = ""
    var value: String {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}

extension RedisCommands {
    /// `ZCARD key` (for tests: how many entries an index holds, live or not).
    func zcard(_ key: String) async throws -> Int {
        let reply = try await send([Array("ZCARD".utf8), Array(key.utf8)])
        guard let count = reply.integer else { throw RedisClientError.unexpectedReply("ZCARD \(reply)") }
        return Int(count)
    }
}

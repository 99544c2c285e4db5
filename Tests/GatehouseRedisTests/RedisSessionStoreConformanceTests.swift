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
            let suite = SessionStoreConformance(
                ttl: .seconds(3),
                // A fresh prefix gives each store its own empty keyspace.
                makeStore: { RedisSessionStore(client: client, prefix: "t-\(UUID().uuidString):") },
                letTimePass: { try await Task.sleep(for: $0 + .milliseconds(50)) }
            )
            try await suite.run(check)
        }
    }

    @Test("RedisRefreshLock passes the refresh lock conformance suite", arguments: RefreshLockConformance.Check.allCases)
    func lock(check: RefreshLockConformance.Check) async throws {
        try await withRedis { _, client in
            let subscribers = SubscriberTasks()
            let suite = RefreshLockConformance(
                lease: .seconds(3),
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

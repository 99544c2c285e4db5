import Foundation
import GatehouseOAuth
import GatehouseRedis
import GatehouseSessions
import GatehouseTestSupport
import Synchronization
import Testing

/// PRODUCT.md "Session rules": with `redis+sentinel://` Gatehouse finds the master through the
/// sentinels and follows a failover within seconds, losing no session the old master replicated.
/// A real master, replica and three `redis-sentinel`s; the master is killed mid-traffic.
@Suite("Redis Sentinel: the master found through the sentinels and followed through a failover")
struct RedisSentinelTests {
    /// What the reads during the failover saw.
    struct Tally: Sendable {
        var found = 0
        var unavailable = 0
        /// A session written before the kill read as absent: a user would get 401.
        var missing = 0
        var otherErrors: [String] = []
    }

    @Test("the master is killed mid-traffic: the store works again on the new master within 10 s, no session written before is lost or read as absent, the refresh lock still grants once")
    func failover() async throws {
        let setup = try await RedisSentinelSetup.start()
        defer { setup.stop() }
        let endpoint = try RedisEndpoint(url: setup.url)
        let client = try RedisClient(configuration: RedisConfiguration(
            endpoint: endpoint, poolSize: 2, timeouts: .init(connect: .milliseconds(500), command: .seconds(1)),
            backoff: Backoff(initial: .milliseconds(50), maximum: .milliseconds(500))
        ))
        let store = RedisSessionStore(client: client)
        let lock = RedisRefreshLock(client: client)

        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await client.run() }
            group.addTask { try await lock.subscriber.run() }
            defer { group.cancelAll() }

            let keys = (0..<20).map { _ in SessionStoreConformance.newKey() }
            try await beforeTheFailover {
                for (index, key) in keys.enumerated() {
                    try await store.save(key, sealed: Array("record \(index)".utf8), subject: "user-\(index)", sid: nil, ttl: .seconds(600))
                }
            }
            // Written to the replica too before the crash: WAIT for one replica's acknowledgement.
            // (Shorter than the command timeout; the replica may still be in its first sync.)
            var acknowledged: Int64?
            let syncDeadline = ContinuousClock.now + .seconds(10)
            while acknowledged != 1, ContinuousClock.now < syncDeadline {
                acknowledged = try await client.send(["WAIT", "1", "500"].map { Array($0.utf8) }).integer
            }
            #expect(acknowledged == 1, "the replica has the sessions")

            let tally = Mutex(Tally())
            let stop = Atomic<Bool>(false)
            let reader = Task {
                while !stop.load(ordering: .relaxed) {
                    for key in keys {
                        do {
                            let record = try await store.load(key)
                            tally.withLock { if record == nil { $0.missing += 1 } else { $0.found += 1 } }
                        } catch let error as SessionStoreError where error.isUnavailable {
                            tally.withLock { $0.unavailable += 1 }
                        } catch {
                            tally.withLock { $0.otherErrors.append("\(error)") }
                        }
                    }
                    try? await Task.sleep(for: .milliseconds(20))
                }
            }

            try await Task.sleep(for: .milliseconds(300))
            await setup.master.kill()
            let killed = ContinuousClock.now
            // Back when a write lands on the new master (the replica, promoted).
            var recovered: Duration?
            while ContinuousClock.now - killed < .seconds(20) {
                let probe = SessionStoreConformance.newKey()
                if (try? await store.save(probe, sealed: [1], subject: "probe", sid: nil, ttl: .seconds(60))) != nil {
                    recovered = ContinuousClock.now - killed
                    break
                }
                try await Task.sleep(for: .milliseconds(100))
            }
            try await Task.sleep(for: .milliseconds(300))
            stop.store(true, ordering: .relaxed)
            await reader.value

            let seen = tally.withLock { $0 }
            let logs = setup.sentinels.map { setup.sentinelLog($0).suffix(300) }.joined(separator: "\n")
            #expect(recovered != nil && recovered! < .seconds(10), "writes work on the new master within 10 s of the kill (took \(String(describing: recovered))); sentinels: \(logs)")
            #expect(seen.missing == 0, "no session written before the kill reads as absent: \(seen)")
            #expect(seen.otherErrors.isEmpty, "only 'unavailable' during the switch: \(seen.otherErrors.prefix(3))")
            #expect(seen.found > keys.count, "reads went on before and after the failover: \(seen)")
            for key in keys { #expect(try await store.load(key) != nil, "every session survives the failover") }
            #expect(setup.sentinels.contains { setup.sentinelLog($0).contains("+switch-master") }, "a failover took place")

            // The lock's subscriber found the new master too (the old one is gone for good).
            let resubscribeDeadline = ContinuousClock.now + .seconds(10)
            while !lock.subscriber.isSubscribed, ContinuousClock.now < resubscribeDeadline { try await Task.sleep(for: .milliseconds(50)) }
            #expect(lock.subscriber.isSubscribed, "the pub/sub subscriber follows the failover")

            // The lock still gives one grant among racing replicas, on the new master.
            let contested = SessionStoreConformance.newKey()
            let grants = try await withThrowingTaskGroup(of: Bool.self) { racers in
                for _ in 0..<20 { racers.addTask { try await lock.acquire(contested, owner: LockOwner.generate(using: SystemRandomSource()), lease: .seconds(30)) } }
                var granted = 0
                for try await won in racers where won { granted += 1 }
                return granted
            }
            #expect(grants == 1, "exactly one of 20 racing acquirers holds the lock after the failover")
        }
    }

    @Test("a failover with the old master still up (SENTINEL FAILOVER): open connections to it, now a replica, are left and writes land on the new master within 10 s")
    func forcedFailover() async throws {
        let setup = try await RedisSentinelSetup.start()
        defer { setup.stop() }
        let client = try RedisClient(configuration: RedisConfiguration(
            endpoint: try RedisEndpoint(url: setup.url), poolSize: 2, timeouts: .init(connect: .milliseconds(500), command: .seconds(1)),
            backoff: Backoff(initial: .milliseconds(50), maximum: .milliseconds(500))
        ))
        let store = RedisSessionStore(client: client)
        let sentinel = try RedisClient(configuration: RedisConfiguration(endpoint: RedisEndpoint(url: "redis://127.0.0.1:\(setup.sentinels[0].port)")))

        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await client.run() }
            defer { group.cancelAll() }
            let before = SessionStoreConformance.newKey()
            try await beforeTheFailover {
                try await store.save(before, sealed: [1], subject: "before", sid: nil, ttl: .seconds(600))
            }
            var synced: Int64?
            let syncDeadline = ContinuousClock.now + .seconds(10)
            while synced != 1, ContinuousClock.now < syncDeadline {
                synced = try await client.send(["WAIT", "1", "500"].map { Array($0.utf8) }).integer
            }
            #expect(synced == 1)

            let reply = try await sentinel.send(["SENTINEL", "FAILOVER", RedisSentinelSetup.masterName].map { Array($0.utf8) })
            #expect(reply == .simpleString("OK"), "\(reply)")
            let started = ContinuousClock.now
            // Back when, after the sentinels switched, ten writes in a row succeed: every pooled
            // connection has left the demoted master.
            var recovered: Duration?
            var lastWritten: SessionKey?
            var streak = 0
            while ContinuousClock.now - started < .seconds(20), recovered == nil {
                let switched = setup.sentinels.contains { setup.sentinelLog($0).contains("+switch-master") }
                let key = SessionStoreConformance.newKey()
                if (try? await store.save(key, sealed: [2], subject: "after", sid: nil, ttl: .seconds(60))) != nil {
                    guard switched else { continue }
                    streak += 1
                    lastWritten = key
                    if streak == 10 { recovered = ContinuousClock.now - started }
                } else {
                    streak = 0
                    try await Task.sleep(for: .milliseconds(50))
                }
            }
            #expect(recovered != nil && recovered! < .seconds(10), "writes work on the new master within 10 s (took \(String(describing: recovered)))")
            let promoted = try RedisClient(configuration: RedisConfiguration(endpoint: RedisEndpoint(url: setup.replica.url)))
            if let lastWritten {
                #expect(try await RedisSessionStore(client: promoted).load(lastWritten) != nil, "the writes went to the promoted replica")
            }
            await promoted.shutdown()
            #expect(try await store.load(before) != nil, "the session written before the switch is there")
            await sentinel.shutdown()
        }
    }
}

/// Runs the writes made before a failover, again while the store is unavailable (for 10 s at
/// most): the tests' 0.5 s connect timeout is for the failover, and on a loaded machine (the whole
/// suite's Redis servers starting at once) a first connect may miss it. The writes are idempotent.
private func beforeTheFailover(_ writes: () async throws -> Void) async throws {
    let deadline = ContinuousClock.now + .seconds(10)
    while true {
        do {
            return try await writes()
        } catch let error as SessionStoreError where error.isUnavailable && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
    }
}

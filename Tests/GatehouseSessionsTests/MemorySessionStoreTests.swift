import GatehouseSessions
import GatehouseTestSupport
import Testing

@Suite("Memory session store")
struct MemorySessionStoreTests {
    @Test("the memory store passes the session store conformance suite", arguments: SessionStoreConformance.Check.allCases)
    func conformance(check: SessionStoreConformance.Check) async throws {
        let clock = TestClock()
        let suite = SessionStoreConformance(
            ttl: .seconds(30),
            makeStoreAndLock: {
                let store = MemorySessionStore(clock: clock)
                return (store, store.refreshLock)
            },
            letTimePass: { clock.advance(by: $0) },
            indexEntryCount: { store, subject in await (store as! MemorySessionStore<TestClock>).indexEntryCount(subject: subject) }
        )
        try await suite.run(check)
    }

    @Test("the memory refresh lock passes the refresh lock conformance suite", arguments: RefreshLockConformance.Check.allCases)
    func lockConformance(check: RefreshLockConformance.Check) async throws {
        let clock = TestClock()
        let suite = RefreshLockConformance(
            lease: .seconds(30),
            makeLock: { MemoryRefreshLock(clock: clock) },
            letTimePass: { clock.advance(by: $0) }
        )
        try await suite.run(check)
    }

    @Test("a store linked to an existing lock fences with that lock's leases; the default initialisers still link")
    func linking() async throws {
        let clock = TestClock()
        let lock = MemoryRefreshLock(clock: clock)
        let store = MemorySessionStore(refreshLock: lock)
        let key = SessionStoreConformance.newKey()
        let owner = LockOwner(token: "owner")
        await store.save(key, sealed: [1], subject: "u", sid: nil, ttl: .seconds(60))
        #expect(await lock.acquire(key, owner: owner, lease: .seconds(10)))
        #expect(await store.replace(key, sealed: [2], subject: "u", sid: nil, ttl: .seconds(60), fence: owner))
        clock.advance(by: .seconds(11))
        #expect(await store.replace(key, sealed: [3], subject: "u", sid: nil, ttl: .seconds(60), fence: owner) == false, "the lease ran out")
        #expect(await store.load(key) == [2])
        let standalone = MemorySessionStore()
        #expect(await standalone.refreshLock.acquire(key, owner: owner, lease: .seconds(10)))
        _ = MemoryRefreshLock()
    }

    @Test("the test clock wakes a sleeper only when advanced past its deadline")
    func testClock() async throws {
        let clock = TestClock()
        let woke = Task { try await clock.sleep(for: .seconds(5)); return clock.now }
        while clock.sleeperCount == 0 { await Task.yield() }
        clock.advance(by: .seconds(4))
        #expect(clock.sleeperCount == 1, "not woken before the deadline")
        clock.advance(by: .seconds(1))
        let wokeAt = try await woke.value
        #expect(wokeAt.offset >= .seconds(5))
    }
}

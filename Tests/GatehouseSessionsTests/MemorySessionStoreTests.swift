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
            makeStore: { MemorySessionStore(clock: clock) },
            letTimePass: { clock.advance(by: $0) }
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

import GatehouseSessions
import GatehouseTestSupport
import Testing

@Suite("Refresh signals wake waiters without polling")
struct RefreshSignalsTests {
    let key = SessionStoreConformance.newKey()

    @Test("a signal sent between registering and waiting is not lost")
    func signalBeforeWait() async {
        let signals = RefreshSignals()
        let ticket = signals.register(key)
        signals.signal(key)
        #expect(await signals.wait(ticket, timeout: .seconds(20)), "the early signal is remembered")
        #expect(signals.outstanding == 0)
    }

    @Test("a waiter is woken by a signal on its key, not by one on another key")
    func wakesOnItsKeyOnly() async throws {
        let signals = RefreshSignals()
        let ticket = signals.register(key)
        let waiter = Task { await signals.wait(ticket, timeout: .milliseconds(500)) }
        signals.signal(SessionStoreConformance.newKey())
        #expect(await waiter.value == false, "another key's signal does not wake it; the timeout does")
        #expect(signals.outstanding == 0, "a timed-out ticket is removed")
    }

    @Test("signalAll wakes every waiter (after a gap in which signals may have been lost)")
    func signalAllWakesEveryone() async {
        let signals = RefreshSignals()
        let tickets = (0..<5).map { _ in signals.register(SessionStoreConformance.newKey()) }
        signals.signalAll()
        for ticket in tickets { #expect(await signals.wait(ticket, timeout: .seconds(20))) }
    }

    @Test("cancelling the waiting task ends the wait at once")
    func cancellation() async {
        let signals = RefreshSignals()
        let ticket = signals.register(key)
        let started = ContinuousClock.now
        let waiter = Task { await signals.wait(ticket, timeout: .seconds(60)) }
        waiter.cancel()
        #expect(await waiter.value == false)
        // Far below the timeout, with room for a loaded machine.
        #expect(ContinuousClock.now - started < .seconds(30))
        #expect(signals.outstanding == 0)
    }

    @Test("acquireOrWait returns acquired without leaving a ticket behind")
    func acquiredLeavesNoTicket() async throws {
        let signals = RefreshSignals()
        #expect(try await signals.acquireOrWait(key, timeout: .seconds(1)) { true } == .acquired)
        struct Boom: Error {}
        await #expect(throws: Boom.self) { try await signals.acquireOrWait(key, timeout: .seconds(1)) { throw Boom() } }
        #expect(signals.outstanding == 0)
    }
}

import Synchronization

/// Wakes callers waiting for another holder's refresh lock to be released.
///
/// A waiter registers *before* it tries the lock, so a release that lands
/// between a failed attempt and the wait still wakes it: the ticket remembers
/// the signal. Timeouts bound every wait, so a lost signal (a subscriber
/// reconnecting, a holder that died without releasing) costs at most one
/// timeout, never a hang.
package final class RefreshSignals: Sendable {
    /// One registration; pass it back to ``wait(_:timeout:)`` or ``cancel(_:)``.
    package struct Ticket: Sendable, Hashable {
        let key: SessionKey
        let id: UInt64
    }

    private struct Waiter {
        var signalled = false
        var continuation: CheckedContinuation<Bool, Never>?
    }

    private struct State {
        var nextID: UInt64 = 0
        var waiters: [SessionKey: [UInt64: Waiter]] = [:]

        mutating func remove(_ ticket: Ticket) {
            waiters[ticket.key]?[ticket.id] = nil
            if waiters[ticket.key]?.isEmpty == true { waiters[ticket.key] = nil }
        }
    }

    private let state = Mutex(State())

    package init() {}

    /// Starts listening for releases of `key`.
    package func register(_ key: SessionKey) -> Ticket {
        state.withLock { state in
            state.nextID &+= 1
            state.waiters[key, default: [:]][state.nextID] = Waiter()
            return Ticket(key: key, id: state.nextID)
        }
    }

    /// Waits until `key` is signalled (`true`) or `timeout` passes or the task
    /// is cancelled (`false`). The ticket is spent either way.
    package func wait(_ ticket: Ticket, timeout: Duration) async -> Bool {
        let timer = Task {
            try? await Task.sleep(for: timeout)
            self.finish(ticket, signalled: false)
        }
        defer { timer.cancel() }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let resumeNow: Bool? = state.withLock { state in
                    guard let waiter = state.waiters[ticket.key]?[ticket.id] else { return false }
                    if waiter.signalled {
                        state.remove(ticket)
                        return true
                    }
                    state.waiters[ticket.key]?[ticket.id]?.continuation = continuation
                    return nil
                }
                if let resumeNow { continuation.resume(returning: resumeNow) }
            }
        } onCancel: {
            self.finish(ticket, signalled: false)
        }
    }

    /// Stops listening without waiting.
    package func cancel(_ ticket: Ticket) {
        finish(ticket, signalled: false)
    }

    /// Wakes every waiter on `key`.
    package func signal(_ key: SessionKey) {
        let ready: [CheckedContinuation<Bool, Never>] = state.withLock { state in
            guard var waiters = state.waiters[key] else { return [] }
            var ready: [CheckedContinuation<Bool, Never>] = []
            for (id, waiter) in waiters {
                if let continuation = waiter.continuation {
                    ready.append(continuation)
                    waiters[id] = nil
                } else {
                    waiters[id]?.signalled = true
                }
            }
            state.waiters[key] = waiters.isEmpty ? nil : waiters
            return ready
        }
        for continuation in ready { continuation.resume(returning: true) }
    }

    /// Wakes every waiter on every key: after a gap in which signals may have
    /// been missed, each waiter re-checks for itself.
    package func signalAll() {
        let keys = state.withLock { Array($0.waiters.keys) }
        for key in keys { signal(key) }
    }

    /// How many tickets are outstanding (for tests).
    package var outstanding: Int {
        state.withLock { $0.waiters.values.reduce(0) { $0 + $1.count } }
    }

    private func finish(_ ticket: Ticket, signalled: Bool) {
        let continuation = state.withLock { state in
            let continuation = state.waiters[ticket.key]?[ticket.id]?.continuation
            state.remove(ticket)
            return continuation
        }
        continuation?.resume(returning: signalled)
    }

    /// Takes the lock through `acquire`, or waits for its holder to release it.
    ///
    /// - Returns: `.acquired`, `.released` (re-read: the holder is done) or `.timedOut`.
    package func acquireOrWait(
        _ key: SessionKey, timeout: Duration, acquire: @Sendable () async throws -> Bool
    ) async throws -> RefreshLockOutcome {
        let ticket = register(key)
        let acquired: Bool
        do {
            acquired = try await acquire()
        } catch {
            cancel(ticket)
            throw error
        }
        if acquired {
            cancel(ticket)
            return .acquired
        }
        return await wait(ticket, timeout: timeout) ? .released : .timedOut
    }
}

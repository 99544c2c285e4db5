/// An in-process ``RefreshLock``; leases follow an injected clock.
///
/// A ``MemorySessionStore`` made with ``MemorySessionStore/init(refreshLock:)`` (or the lock a
/// store hands out as ``MemorySessionStore/refreshLock``) checks these leases when a refresh
/// writes back with a fence.
package actor MemoryRefreshLock<C: Clock>: RefreshLock where C.Duration == Duration {
    /// The clock leases follow (a linked store uses it too).
    package nonisolated let clock: C
    nonisolated let leases = RefreshLeases<C>()
    private let signals = RefreshSignals()

    /// Creates a lock table using `clock` for leases.
    package init(clock: C) {
        self.clock = clock
    }

    package func acquire(_ key: SessionKey, owner: LockOwner, lease: Duration) -> Bool {
        let now = self.clock.now
        return leases.withLock { leases in
            if let current = leases[key], current.deadline > now { return false }
            leases[key] = .init(owner: owner, deadline: now.advanced(by: lease))
            return true
        }
    }

    package func renew(_ key: SessionKey, owner: LockOwner, lease: Duration) -> Bool {
        let now = self.clock.now
        return leases.withLock { leases in
            guard let current = leases[key], current.owner == owner, current.deadline > now else { return false }
            leases[key]?.deadline = now.advanced(by: lease)
            return true
        }
    }

    @discardableResult
    package func release(_ key: SessionKey, owner: LockOwner) -> Bool {
        let now = self.clock.now
        let released: Bool? = leases.withLock { leases in
            guard let current = leases[key], current.owner == owner else { return nil }
            leases[key] = nil
            return current.deadline > now
        }
        guard let released else { return false }
        signals.signal(key)
        return released
    }

    package func acquireOrWait(_ key: SessionKey, owner: LockOwner, lease: Duration, timeout: Duration) async throws -> RefreshLockOutcome {
        try await signals.acquireOrWait(key, timeout: timeout) { await self.acquire(key, owner: owner, lease: lease) }
    }
}

extension MemoryRefreshLock where C == ContinuousClock {
    /// Creates a lock table on the continuous clock.
    package init() {
        self.init(clock: ContinuousClock())
    }
}

/// An in-process ``RefreshLock``; leases follow an injected clock.
public actor MemoryRefreshLock<C: Clock>: RefreshLock where C.Duration == Duration {
    private struct Lease {
        var owner: LockOwner
        var deadline: C.Instant
    }

    private let clock: C
    private var leases: [SessionKey: Lease] = [:]
    private let signals = RefreshSignals()

    /// Creates a lock table using `clock` for leases.
    public init(clock: C) {
        self.clock = clock
    }

    public func acquire(_ key: SessionKey, owner: LockOwner, lease: Duration) -> Bool {
        let now = self.clock.now
        if let current = self.leases[key], current.deadline > now { return false }
        self.leases[key] = Lease(owner: owner, deadline: now.advanced(by: lease))
        return true
    }

    public func renew(_ key: SessionKey, owner: LockOwner, lease: Duration) -> Bool {
        let now = self.clock.now
        guard let current = self.leases[key], current.owner == owner, current.deadline > now else { return false }
        self.leases[key]?.deadline = now.advanced(by: lease)
        return true
    }

    @discardableResult
    public func release(_ key: SessionKey, owner: LockOwner) -> Bool {
        let now = self.clock.now
        guard let current = self.leases[key], current.owner == owner else { return false }
        self.leases[key] = nil
        signals.signal(key)
        return current.deadline > now
    }

    public func acquireOrWait(_ key: SessionKey, owner: LockOwner, lease: Duration, timeout: Duration) async throws -> RefreshLockOutcome {
        try await signals.acquireOrWait(key, timeout: timeout) { await self.acquire(key, owner: owner, lease: lease) }
    }
}

extension MemoryRefreshLock where C == ContinuousClock {
    /// Creates a lock table on the continuous clock.
    public init() {
        self.init(clock: ContinuousClock())
    }
}

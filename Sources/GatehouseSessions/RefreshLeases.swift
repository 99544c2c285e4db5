import Synchronization

/// The lease table behind ``MemoryRefreshLock``, shared with the ``MemorySessionStore`` it is
/// linked to, so that a fenced ``SessionStore/replace(_:sealed:subject:sid:ttl:fence:)`` checks
/// the lease and writes in one step (the memory twin of Redis's check-and-write script).
///
/// A `Mutex`, not an actor: the store must hold it across its own write, synchronously.
final class RefreshLeases<C: Clock>: Sendable where C.Duration == Duration {
    struct Lease: Sendable {
        var owner: LockOwner
        var deadline: C.Instant
    }

    private let table = Mutex<[SessionKey: Lease]>([:])

    init() {}

    /// Runs `body` on the table, under the lock.
    func withLock<R>(_ body: (inout [SessionKey: Lease]) throws -> R) rethrows -> R {
        try table.withLock { try body(&$0) }
    }

    /// Runs `body` only while `owner` holds an unexpired lease on `key`, keeping the table locked
    /// meanwhile so that no one can take the lock over between the check and the write.
    func whileHeld<R>(_ key: SessionKey, by owner: LockOwner, at now: C.Instant, _ body: () throws -> R) rethrows -> R? {
        try table.withLock { table in
            guard let lease = table[key], lease.owner == owner, lease.deadline > now else { return nil }
            return try body()
        }
    }
}

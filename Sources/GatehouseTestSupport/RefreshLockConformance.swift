package import GatehouseSessions
import GatehouseOAuth
package import Testing

/// The behaviour every ``RefreshLock`` must show; run it against each implementation.
///
/// As with ``SessionStoreConformance``, time is passed in, and a real-time lock should use a
/// short ``lease``.
package struct RefreshLockConformance: Sendable {
    /// One behaviour to check.
    package enum Check: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case aHeldLockCannotBeAcquiredByAnother
        case onlyTheOwnerReleases
        case onlyTheOwnerRenews
        case anExpiredLeaseCanBeTakenOver
        case renewExtendsTheLease
        case locksOnDifferentKeysAreIndependent
        case acquireOrWaitTakesAFreeLock
        case aWaiterWakesWhenTheHolderReleases
        case aWaiterTimesOutWhileTheLockIsHeld

        package var testDescription: String { self.rawValue }
    }

    private let makeLock: @Sendable () async throws -> any RefreshLock
    private let letTimePass: @Sendable (Duration) async throws -> Void
    /// The lease used in the checks.
    package let lease: Duration

    /// Creates the suite.
    package init(
        lease: Duration = .seconds(10),
        makeLock: @escaping @Sendable () async throws -> any RefreshLock,
        letTimePass: @escaping @Sendable (Duration) async throws -> Void
    ) {
        self.lease = lease
        self.makeLock = makeLock
        self.letTimePass = letTimePass
    }

    /// Runs every check.
    package func runAll(sourceLocation: SourceLocation = #_sourceLocation) async throws {
        for check in Check.allCases {
            try await self.run(check, sourceLocation: sourceLocation)
        }
    }

    /// Runs one check on a fresh lock.
    package func run(_ check: Check, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let lock = try await self.makeLock()
        let at = sourceLocation
        let key = SessionStoreConformance.newKey()
        let random = SystemRandomSource()
        let alice = LockOwner.generate(using: random)
        let bob = LockOwner.generate(using: random)
        switch check {
        case .aHeldLockCannotBeAcquiredByAnother:
            #expect(try await lock.acquire(key, owner: alice, lease: self.lease), sourceLocation: at)
            #expect(try await lock.acquire(key, owner: bob, lease: self.lease) == false, sourceLocation: at)

        case .onlyTheOwnerReleases:
            #expect(try await lock.acquire(key, owner: alice, lease: self.lease), sourceLocation: at)
            #expect(try await lock.release(key, owner: bob) == false, "another owner cannot release", sourceLocation: at)
            #expect(try await lock.acquire(key, owner: bob, lease: self.lease) == false, "still held", sourceLocation: at)
            #expect(try await lock.release(key, owner: alice), sourceLocation: at)
            #expect(try await lock.acquire(key, owner: bob, lease: self.lease), "free after release", sourceLocation: at)

        case .onlyTheOwnerRenews:
            #expect(try await lock.acquire(key, owner: alice, lease: self.lease), sourceLocation: at)
            #expect(try await lock.renew(key, owner: bob, lease: self.lease) == false, sourceLocation: at)
            #expect(try await lock.renew(key, owner: alice, lease: self.lease), sourceLocation: at)

        case .anExpiredLeaseCanBeTakenOver:
            #expect(try await lock.acquire(key, owner: alice, lease: self.lease), sourceLocation: at)
            try await self.letTimePass(self.lease * 1.5)
            #expect(try await lock.acquire(key, owner: bob, lease: self.lease * 100), "lease ran out", sourceLocation: at)
            #expect(try await lock.renew(key, owner: alice, lease: self.lease) == false, "old owner cannot renew", sourceLocation: at)
            _ = try await lock.release(key, owner: alice)
            let carol = LockOwner.generate(using: random)
            #expect(try await lock.acquire(key, owner: carol, lease: self.lease) == false, "old owner did not release the new lease", sourceLocation: at)

        case .renewExtendsTheLease:
            #expect(try await lock.acquire(key, owner: alice, lease: self.lease), sourceLocation: at)
            try await self.letTimePass(self.lease * 0.6)
            #expect(try await lock.renew(key, owner: alice, lease: self.lease), sourceLocation: at)
            try await self.letTimePass(self.lease * 0.6)
            #expect(try await lock.acquire(key, owner: bob, lease: self.lease) == false, "renewed lease still held", sourceLocation: at)

        case .locksOnDifferentKeysAreIndependent:
            #expect(try await lock.acquire(key, owner: alice, lease: self.lease), sourceLocation: at)
            #expect(try await lock.acquire(SessionStoreConformance.newKey(), owner: bob, lease: self.lease), sourceLocation: at)

        case .acquireOrWaitTakesAFreeLock:
            #expect(try await lock.acquireOrWait(key, owner: alice, lease: self.lease, timeout: .seconds(10)) == .acquired, sourceLocation: at)
            #expect(try await lock.acquire(key, owner: bob, lease: self.lease) == false, "it is held now", sourceLocation: at)

        case .aWaiterWakesWhenTheHolderReleases:
            // A lost wake-up would leave Bob waiting for the whole (long) timeout.
            #expect(try await lock.acquire(key, owner: alice, lease: self.lease * 100), sourceLocation: at)
            let waiter = Task { try await lock.acquireOrWait(key, owner: bob, lease: self.lease, timeout: .seconds(20)) }
            try await Task.sleep(for: .milliseconds(200))
            let started = ContinuousClock.now
            #expect(try await lock.release(key, owner: alice), sourceLocation: at)
            let outcome = try await waiter.value
            // `.acquired` only when a loaded machine started Bob after the release.
            #expect(outcome != .timedOut, "woken by the release, not by the timeout", sourceLocation: at)
            #expect(ContinuousClock.now - started < .seconds(10), sourceLocation: at)

        case .aWaiterTimesOutWhileTheLockIsHeld:
            #expect(try await lock.acquire(key, owner: alice, lease: self.lease * 100), sourceLocation: at)
            #expect(try await lock.acquireOrWait(key, owner: bob, lease: self.lease, timeout: .milliseconds(200)) == .timedOut, sourceLocation: at)
            #expect(try await lock.renew(key, owner: alice, lease: self.lease), "Alice still holds it", sourceLocation: at)
        }
    }
}

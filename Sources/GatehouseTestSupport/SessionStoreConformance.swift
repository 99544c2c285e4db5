package import GatehouseSessions
import GatehouseOAuth
package import Testing

/// The behaviour every ``SessionStore`` must show; run it against each implementation.
///
/// Failures are reported with `#expect`, attributed to the caller's source location. Time is
/// passed in: the memory store advances a ``TestClock``; a Redis store really waits, so it should
/// use a ``ttl`` short enough to wait out yet long enough that a stall of a loaded machine during
/// a wait (seconds, on a shared two-core runner) does not outlast the 40 % margin the checks leave.
package struct SessionStoreConformance: Sendable {
    /// One behaviour to check.
    package enum Check: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case saveThenLoadReturnsTheBytes
        case loadOfAnUnknownKeyIsNil
        case saveReplacesTheRecord
        case recordExpiresAfterItsTTL
        case touchExtendsTheTTL
        case touchOfAnUnknownKeyIsFalse
        case rewritingTouchReplacesAnUnchangedRecordAndSlidesItsTTL
        case rewritingTouchKeepsARecordThatChanged
        case rewritingTouchOfAnEndedSessionIsGone
        case deleteRemovesTheRecordAndItsIndexEntries
        case keysListsTheSessionsOfASubject
        case deleteAllBySubjectEndsOnlyThatSubject
        case deleteAllBySIDEndsOnlyThatProviderSession
        case loginStateIsTakenOnce
        case loginStateExpires
        case concurrentTakesOfOneLoginStateHaveOneWinner
        case logoutTokenIDIsSeenOnce
        case anExpiredSessionLeavesKeys
        case expiredSessionsArePrunedFromTheIndexOnSave
        case touchMovesTheIndexEntryAlong
        case deleteAllEndsAThousandSessions
        case deleteAllBySIDLeavesNoDeadEntryUnderTheSubject
        case replaceOfADeletedSessionIsRefused
        case replaceWithoutFenceRewritesALiveSession
        case replaceHoldingTheLockWrites
        case replaceWithTheLockHeldByAnotherIsRefused
        case replaceWithoutTheLockIsRefused
        case replaceAfterTheLeaseRanOutIsRefused

        package var testDescription: String { self.rawValue }
    }

    private let makeStoreAndLock: @Sendable () async throws -> (store: any SessionStore, lock: any RefreshLock)
    private let letTimePass: @Sendable (Duration) async throws -> Void
    private let indexEntryCount: @Sendable (any SessionStore, String) async throws -> Int
    /// The TTL used in expiry checks.
    package let ttl: Duration

    /// Creates the suite.
    ///
    /// - Parameters:
    ///   - ttl: a TTL short enough to wait out with `letTimePass`.
    ///   - makeStoreAndLock: makes an empty store (or one whose keys cannot clash with other runs)
    ///     and the refresh lock whose leases its fenced `replace` checks.
    ///   - letTimePass: lets at least the given time pass for the store.
    ///   - indexEntryCount: how many entries, live or not, the store's index of a subject holds
    ///     (Redis: `ZCARD`), to see that expired ones are really pruned rather than filtered.
    package init(
        ttl: Duration = .seconds(10),
        makeStoreAndLock: @escaping @Sendable () async throws -> (store: any SessionStore, lock: any RefreshLock),
        letTimePass: @escaping @Sendable (Duration) async throws -> Void,
        indexEntryCount: @escaping @Sendable (any SessionStore, String) async throws -> Int
    ) {
        self.ttl = ttl
        self.makeStoreAndLock = makeStoreAndLock
        self.letTimePass = letTimePass
        self.indexEntryCount = indexEntryCount
    }

    /// Runs every check.
    package func runAll(sourceLocation: SourceLocation = #_sourceLocation) async throws {
        for check in Check.allCases {
            try await self.run(check, sourceLocation: sourceLocation)
        }
    }

    /// Runs one check on a fresh store.
    package func run(_ check: Check, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let (store, lock) = try await self.makeStoreAndLock()
        let at = sourceLocation
        let random = SystemRandomSource()
        let (alice, bob) = (LockOwner.generate(using: random), LockOwner.generate(using: random))
        let long = self.ttl * 100
        switch check {
        case .saveThenLoadReturnsTheBytes:
            let key = Self.newKey()
            try await store.save(key, sealed: [1, 2, 3, 0, 255], subject: Self.newName(), sid: nil, ttl: long)
            #expect(try await store.load(key) == [1, 2, 3, 0, 255], "load returns the saved bytes", sourceLocation: at)

        case .loadOfAnUnknownKeyIsNil:
            #expect(try await store.load(Self.newKey()) == nil, sourceLocation: at)

        case .saveReplacesTheRecord:
            let key = Self.newKey()
            let subject = Self.newName()
            try await store.save(key, sealed: [1], subject: subject, sid: nil, ttl: long)
            try await store.save(key, sealed: [2], subject: subject, sid: nil, ttl: long)
            #expect(try await store.load(key) == [2], sourceLocation: at)
            #expect(try await store.keys(subject: subject) == [key], sourceLocation: at)

        case .recordExpiresAfterItsTTL:
            let key = Self.newKey()
            try await store.save(key, sealed: [7], subject: Self.newName(), sid: nil, ttl: self.ttl)
            try await self.letTimePass(self.ttl / 2)
            #expect(try await store.load(key) == [7], "still there before the TTL", sourceLocation: at)
            try await self.letTimePass(self.ttl)
            #expect(try await store.load(key) == nil, "gone after the TTL", sourceLocation: at)

        case .touchExtendsTheTTL:
            let key = Self.newKey()
            let subject = Self.newName()
            let sid = Self.newName()
            try await store.save(key, sealed: [7], subject: subject, sid: sid, ttl: self.ttl)
            try await self.letTimePass(self.ttl * 0.6)
            #expect(try await store.touch(key, subject: subject, sid: sid, ttl: self.ttl), "touch finds the record", sourceLocation: at)
            try await self.letTimePass(self.ttl * 0.6)
            #expect(try await store.load(key) == [7], "touch moved the expiry", sourceLocation: at)
            #expect(try await store.keys(subject: subject) == [key], "the subject index outlived the first TTL too", sourceLocation: at)
            try await self.letTimePass(self.ttl * 0.6)
            #expect(try await store.load(key) == nil, "expires a TTL after the touch", sourceLocation: at)

        case .touchOfAnUnknownKeyIsFalse:
            #expect(try await store.touch(Self.newKey(), subject: Self.newName(), sid: nil, ttl: self.ttl) == false, sourceLocation: at)

        case .rewritingTouchReplacesAnUnchangedRecordAndSlidesItsTTL:
            let key = Self.newKey()
            let subject = Self.newName()
            try await store.save(key, sealed: [1], subject: subject, sid: nil, ttl: self.ttl)
            try await self.letTimePass(self.ttl * 0.6)
            let outcome = try await store.touch(key, subject: subject, sid: nil, ttl: self.ttl, replacing: [1], with: [2])
            #expect(outcome == .rewritten, sourceLocation: at)
            try await self.letTimePass(self.ttl * 0.6)
            #expect(try await store.load(key) == [2], "rewritten, and alive past the first TTL", sourceLocation: at)
            #expect(try await store.keys(subject: subject) == [key], sourceLocation: at)

        case .rewritingTouchKeepsARecordThatChanged:
            let key = Self.newKey()
            let subject = Self.newName()
            try await store.save(key, sealed: [1], subject: subject, sid: nil, ttl: self.ttl)
            // A refresh wrote [3] after the toucher read [1]: the touch must not put [1]'s tokens back.
            try await store.save(key, sealed: [3], subject: subject, sid: nil, ttl: self.ttl)
            try await self.letTimePass(self.ttl * 0.6)
            let outcome = try await store.touch(key, subject: subject, sid: nil, ttl: self.ttl, replacing: [1], with: [2])
            #expect(outcome == .touched, sourceLocation: at)
            try await self.letTimePass(self.ttl * 0.6)
            #expect(try await store.load(key) == [3], "the newer record stays, its TTL slid", sourceLocation: at)

        case .rewritingTouchOfAnEndedSessionIsGone:
            let key = Self.newKey()
            let subject = Self.newName()
            try await store.save(key, sealed: [1], subject: subject, sid: nil, ttl: long)
            try await store.delete(key, subject: subject, sid: nil)
            #expect(try await store.touch(key, subject: subject, sid: nil, ttl: long, replacing: [1], with: [2]) == .gone, sourceLocation: at)
            #expect(try await store.load(key) == nil, "not brought back", sourceLocation: at)
            #expect(try await store.keys(subject: subject).isEmpty, sourceLocation: at)

        case .deleteRemovesTheRecordAndItsIndexEntries:
            let key = Self.newKey()
            let subject = Self.newName()
            let sid = Self.newName()
            try await store.save(key, sealed: [1], subject: subject, sid: sid, ttl: long)
            try await store.delete(key, subject: subject, sid: sid)
            #expect(try await store.load(key) == nil, sourceLocation: at)
            #expect(try await store.keys(subject: subject).contains(key) == false, sourceLocation: at)
            #expect(try await store.deleteAll(sid: sid) == 0, sourceLocation: at)
            #expect(try await store.deleteAll(subject: subject) == 0, sourceLocation: at)

        case .keysListsTheSessionsOfASubject:
            let subject = Self.newName()
            let first = Self.newKey()
            let second = Self.newKey()
            try await store.save(first, sealed: [1], subject: subject, sid: nil, ttl: long)
            try await store.save(second, sealed: [2], subject: subject, sid: Self.newName(), ttl: long)
            try await store.save(Self.newKey(), sealed: [3], subject: Self.newName(), sid: nil, ttl: long)
            #expect(Set(try await store.keys(subject: subject)) == [first, second], sourceLocation: at)
            #expect(try await store.keys(subject: Self.newName()).isEmpty, sourceLocation: at)

        case .deleteAllBySubjectEndsOnlyThatSubject:
            let subject = Self.newName()
            let other = Self.newKey()
            let (first, second) = (Self.newKey(), Self.newKey())
            try await store.save(first, sealed: [1], subject: subject, sid: Self.newName(), ttl: long)
            try await store.save(second, sealed: [2], subject: subject, sid: nil, ttl: long)
            try await store.save(other, sealed: [3], subject: Self.newName(), sid: nil, ttl: long)
            #expect(try await store.deleteAll(subject: subject) == 2, sourceLocation: at)
            #expect(try await store.load(first) == nil, sourceLocation: at)
            #expect(try await store.load(second) == nil, sourceLocation: at)
            #expect(try await store.load(other) == [3], sourceLocation: at)
            #expect(try await store.keys(subject: subject).isEmpty, sourceLocation: at)

        case .deleteAllBySIDEndsOnlyThatProviderSession:
            let subject = Self.newName()
            let sid = Self.newName()
            let (first, second, kept) = (Self.newKey(), Self.newKey(), Self.newKey())
            try await store.save(first, sealed: [1], subject: subject, sid: sid, ttl: long)
            try await store.save(second, sealed: [2], subject: subject, sid: sid, ttl: long)
            try await store.save(kept, sealed: [3], subject: subject, sid: Self.newName(), ttl: long)
            #expect(try await store.deleteAll(sid: sid) == 2, sourceLocation: at)
            #expect(try await store.load(first) == nil, sourceLocation: at)
            #expect(try await store.load(second) == nil, sourceLocation: at)
            #expect(try await store.load(kept) == [3], sourceLocation: at)

        case .loginStateIsTakenOnce:
            let handle = Self.newName()
            try await store.putLoginState([9, 8, 7], handle: handle, ttl: long)
            #expect(try await store.takeLoginState(handle) == [9, 8, 7], sourceLocation: at)
            #expect(try await store.takeLoginState(handle) == nil, "a second take finds nothing", sourceLocation: at)
            #expect(try await store.takeLoginState(Self.newName()) == nil, sourceLocation: at)

        case .loginStateExpires:
            let handle = Self.newName()
            try await store.putLoginState([1], handle: handle, ttl: self.ttl)
            try await self.letTimePass(self.ttl * 1.5)
            #expect(try await store.takeLoginState(handle) == nil, sourceLocation: at)

        case .concurrentTakesOfOneLoginStateHaveOneWinner:
            let handle = Self.newName()
            try await store.putLoginState([5], handle: handle, ttl: long)
            let winners = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<16 {
                    group.addTask { try await store.takeLoginState(handle) != nil }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(winners == 1, "exactly one concurrent take wins", sourceLocation: at)

        case .logoutTokenIDIsSeenOnce:
            let jti = Self.newName()
            #expect(try await store.markSeen(jti: jti, ttl: self.ttl), "first sighting", sourceLocation: at)
            #expect(try await store.markSeen(jti: jti, ttl: self.ttl) == false, "a replay", sourceLocation: at)
            #expect(try await store.markSeen(jti: Self.newName(), ttl: self.ttl), "another jti", sourceLocation: at)
            try await self.letTimePass(self.ttl * 1.5)
            #expect(try await store.markSeen(jti: jti, ttl: self.ttl), "forgotten after its TTL", sourceLocation: at)

        case .anExpiredSessionLeavesKeys:
            let subject = Self.newName()
            let (short, kept) = (Self.newKey(), Self.newKey())
            try await store.save(short, sealed: [1], subject: subject, sid: nil, ttl: self.ttl)
            try await store.save(kept, sealed: [2], subject: subject, sid: nil, ttl: long)
            try await self.letTimePass(self.ttl * 1.5)
            #expect(try await store.keys(subject: subject) == [kept], "only the live session is listed", sourceLocation: at)

        case .expiredSessionsArePrunedFromTheIndexOnSave:
            let subject = Self.newName()
            for _ in 0..<3 {
                try await store.save(Self.newKey(), sealed: [1], subject: subject, sid: Self.newName(), ttl: self.ttl)
            }
            #expect(try await self.indexEntryCount(store, subject) == 3, sourceLocation: at)
            try await self.letTimePass(self.ttl * 1.5)
            let fresh = Self.newKey()
            try await store.save(fresh, sealed: [2], subject: subject, sid: nil, ttl: long)
            #expect(try await self.indexEntryCount(store, subject) == 1, "the save pruned the three idle-expired entries", sourceLocation: at)
            #expect(try await store.keys(subject: subject) == [fresh], sourceLocation: at)

        case .touchMovesTheIndexEntryAlong:
            let subject = Self.newName()
            let (touched, idle, fresh) = (Self.newKey(), Self.newKey(), Self.newKey())
            try await store.save(touched, sealed: [1], subject: subject, sid: nil, ttl: self.ttl)
            try await store.save(idle, sealed: [2], subject: subject, sid: nil, ttl: self.ttl)
            try await self.letTimePass(self.ttl * 0.6)
            #expect(try await store.touch(touched, subject: subject, sid: nil, ttl: self.ttl), sourceLocation: at)
            try await self.letTimePass(self.ttl * 0.6)
            // This save prunes: the touched entry must have moved past its first expiry, the idle one not.
            try await store.save(fresh, sealed: [3], subject: subject, sid: nil, ttl: long)
            #expect(try await self.indexEntryCount(store, subject) == 2, "the idle entry was pruned, the touched one kept", sourceLocation: at)
            #expect(Set(try await store.keys(subject: subject)) == [touched, fresh], sourceLocation: at)

        case .deleteAllEndsAThousandSessions:
            let subject = Self.newName()
            let keys = (0..<1000).map { _ in Self.newKey() }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for slice in stride(from: 0, to: keys.count, by: 50) {
                    group.addTask {
                        for key in keys[slice..<min(slice + 50, keys.count)] {
                            try await store.save(key, sealed: [1], subject: subject, sid: nil, ttl: long)
                        }
                    }
                }
                try await group.waitForAll()
            }
            let other = Self.newKey()
            try await store.save(other, sealed: [2], subject: Self.newName(), sid: nil, ttl: long)
            #expect(try await store.keys(subject: subject).count == 1000, sourceLocation: at)
            #expect(try await store.deleteAll(subject: subject) == 1000, "every session was ended and counted", sourceLocation: at)
            #expect(try await store.keys(subject: subject).isEmpty, sourceLocation: at)
            #expect(try await self.indexEntryCount(store, subject) == 0, sourceLocation: at)
            for key in [keys[0], keys[499], keys[999]] {
                #expect(try await store.load(key) == nil, sourceLocation: at)
            }
            #expect(try await store.load(other) == [2], "another subject's session is untouched", sourceLocation: at)
            #expect(try await store.deleteAll(subject: subject) == 0, sourceLocation: at)

        case .deleteAllBySIDLeavesNoDeadEntryUnderTheSubject:
            let subject = Self.newName()
            let sid = Self.newName()
            let (ended, kept) = (Self.newKey(), Self.newKey())
            try await store.save(ended, sealed: [1], subject: subject, sid: sid, ttl: long)
            try await store.save(kept, sealed: [2], subject: subject, sid: Self.newName(), ttl: long)
            #expect(try await store.deleteAll(sid: sid) == 1, sourceLocation: at)
            #expect(try await store.keys(subject: subject) == [kept], "the ended session is not listed under its subject", sourceLocation: at)

        case .replaceOfADeletedSessionIsRefused:
            let key = Self.newKey()
            let subject = Self.newName()
            try await store.save(key, sealed: [1], subject: subject, sid: nil, ttl: long)
            try await store.delete(key, subject: subject, sid: nil)
            #expect(try await store.replace(key, sealed: [2], subject: subject, sid: nil, ttl: long, fence: nil) == false, sourceLocation: at)
            #expect(try await store.load(key) == nil, "a logout during the refresh stays a logout", sourceLocation: at)
            #expect(try await store.keys(subject: subject).isEmpty, "nor is it indexed again", sourceLocation: at)
            #expect(try await lock.acquire(key, owner: alice, lease: long), sourceLocation: at)
            #expect(try await store.replace(key, sealed: [2], subject: subject, sid: nil, ttl: long, fence: alice) == false, "not even by the lock holder", sourceLocation: at)
            #expect(try await store.load(key) == nil, sourceLocation: at)
            #expect(try await store.replace(Self.newKey(), sealed: [2], subject: subject, sid: nil, ttl: long, fence: nil) == false, "nor an unknown key", sourceLocation: at)

        case .replaceWithoutFenceRewritesALiveSession:
            let key = Self.newKey()
            let subject = Self.newName()
            let sid = Self.newName()
            try await store.save(key, sealed: [1], subject: subject, sid: sid, ttl: self.ttl)
            #expect(try await store.replace(key, sealed: [2], subject: subject, sid: sid, ttl: long, fence: nil), sourceLocation: at)
            #expect(try await store.load(key) == [2], sourceLocation: at)
            try await self.letTimePass(self.ttl * 1.5)
            #expect(try await store.load(key) == [2], "the replace set the new TTL", sourceLocation: at)
            #expect(try await store.keys(subject: subject) == [key], "and re-indexed it for as long", sourceLocation: at)
            #expect(try await store.deleteAll(sid: sid) == 1, sourceLocation: at)

        case .replaceHoldingTheLockWrites:
            let key = Self.newKey()
            let subject = Self.newName()
            try await store.save(key, sealed: [1], subject: subject, sid: nil, ttl: long)
            #expect(try await lock.acquire(key, owner: alice, lease: long), sourceLocation: at)
            #expect(try await store.replace(key, sealed: [2], subject: subject, sid: nil, ttl: long, fence: alice), sourceLocation: at)
            #expect(try await store.load(key) == [2], sourceLocation: at)

        case .replaceWithTheLockHeldByAnotherIsRefused:
            let key = Self.newKey()
            let subject = Self.newName()
            try await store.save(key, sealed: [1], subject: subject, sid: nil, ttl: long)
            #expect(try await lock.acquire(key, owner: bob, lease: long), sourceLocation: at)
            #expect(try await store.replace(key, sealed: [2], subject: subject, sid: nil, ttl: long, fence: alice) == false, sourceLocation: at)
            #expect(try await store.load(key) == [1], "Bob's record stands", sourceLocation: at)

        case .replaceWithoutTheLockIsRefused:
            let key = Self.newKey()
            let subject = Self.newName()
            try await store.save(key, sealed: [1], subject: subject, sid: nil, ttl: long)
            #expect(try await lock.acquire(key, owner: alice, lease: long), sourceLocation: at)
            #expect(try await lock.release(key, owner: alice), sourceLocation: at)
            #expect(try await store.replace(key, sealed: [2], subject: subject, sid: nil, ttl: long, fence: alice) == false, "a released lock fences nothing", sourceLocation: at)
            #expect(try await store.load(key) == [1], sourceLocation: at)

        case .replaceAfterTheLeaseRanOutIsRefused:
            let key = Self.newKey()
            let subject = Self.newName()
            try await store.save(key, sealed: [1], subject: subject, sid: nil, ttl: long)
            #expect(try await lock.acquire(key, owner: alice, lease: self.ttl), sourceLocation: at)
            try await self.letTimePass(self.ttl * 1.5)
            #expect(try await store.replace(key, sealed: [2], subject: subject, sid: nil, ttl: long, fence: alice) == false, "Alice's lease ran out", sourceLocation: at)
            #expect(try await lock.acquire(key, owner: bob, lease: long), "Bob takes over", sourceLocation: at)
            #expect(try await store.replace(key, sealed: [2], subject: subject, sid: nil, ttl: long, fence: alice) == false, "Alice cannot write over Bob", sourceLocation: at)
            #expect(try await store.replace(key, sealed: [3], subject: subject, sid: nil, ttl: long, fence: bob), sourceLocation: at)
            #expect(try await store.load(key) == [3], sourceLocation: at)
        }
    }

    package static func newKey() -> SessionKey {
        SessionKey(hashing: SystemRandomSource().base64URLToken())
    }

    static func newName() -> String {
        "test-" + SystemRandomSource().base64URLToken(byteCount: 12)
    }
}

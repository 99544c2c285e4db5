public import GatehouseSessions
import GatehouseOAuth
public import Testing

/// The behaviour every ``SessionStore`` must show; run it against each implementation.
///
/// Failures are reported with `#expect`, attributed to the caller's source location. Time is
/// passed in: the memory store advances a ``TestClock``; a Redis store really waits, so it should
/// use a short ``ttl`` (a few hundred milliseconds).
public struct SessionStoreConformance: Sendable {
    /// One behaviour to check.
    public enum Check: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case saveThenLoadReturnsTheBytes
        case loadOfAnUnknownKeyIsNil
        case saveReplacesTheRecord
        case recordExpiresAfterItsTTL
        case touchExtendsTheTTL
        case touchOfAnUnknownKeyIsFalse
        case deleteRemovesTheRecordAndItsIndexEntries
        case keysListsTheSessionsOfASubject
        case deleteAllBySubjectEndsOnlyThatSubject
        case deleteAllBySIDEndsOnlyThatProviderSession
        case loginStateIsTakenOnce
        case loginStateExpires
        case concurrentTakesOfOneLoginStateHaveOneWinner
        case logoutTokenIDIsSeenOnce

        public var testDescription: String { self.rawValue }
    }

    private let makeStore: @Sendable () async throws -> any SessionStore
    private let letTimePass: @Sendable (Duration) async throws -> Void
    /// The TTL used in expiry checks.
    public let ttl: Duration

    /// Creates the suite.
    ///
    /// - Parameters:
    ///   - ttl: a TTL short enough to wait out with `letTimePass`.
    ///   - makeStore: makes an empty store (or one whose keys cannot clash with other runs).
    ///   - letTimePass: lets at least the given time pass for the store.
    public init(
        ttl: Duration = .seconds(10),
        makeStore: @escaping @Sendable () async throws -> any SessionStore,
        letTimePass: @escaping @Sendable (Duration) async throws -> Void
    ) {
        self.ttl = ttl
        self.makeStore = makeStore
        self.letTimePass = letTimePass
    }

    /// Runs every check.
    public func runAll(sourceLocation: SourceLocation = #_sourceLocation) async throws {
        for check in Check.allCases {
            try await self.run(check, sourceLocation: sourceLocation)
        }
    }

    /// Runs one check on a fresh store.
    public func run(_ check: Check, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let store = try await self.makeStore()
        let at = sourceLocation
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
        }
    }

    public static func newKey() -> SessionKey {
        SessionKey(hashing: SystemRandomSource().base64URLToken())
    }

    static func newName() -> String {
        "test-" + SystemRandomSource().base64URLToken(byteCount: 12)
    }
}

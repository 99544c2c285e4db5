/// An in-process ``SessionStore`` for `gatehouse demo` and tests; expiry follows an injected clock.
///
/// Like Hummingbird's `MemoryPersistDriver`, time comes from `C`, so tests can advance a manual
/// clock instead of sleeping. Not shared between processes: use Redis for more than one replica.
///
/// A fenced ``replace(_:sealed:subject:sid:ttl:fence:)`` checks the leases of ``refreshLock``:
/// give the token service that lock, not a separate ``MemoryRefreshLock``.
package actor MemorySessionStore<C: Clock>: SessionStore where C.Duration == Duration {
    private struct Session {
        var sealed: [UInt8]
        var subject: String
        var sid: String?
        var deadline: C.Instant
    }

    private struct Expiring {
        var value: [UInt8]
        var deadline: C.Instant
    }

    /// Index entries with their session's deadline, as Redis keeps them in a sorted set.
    private typealias Index = [SessionKey: C.Instant]

    private let clock: C
    /// The refresh lock whose leases fence ``replace(_:sealed:subject:sid:ttl:fence:)``.
    package nonisolated let refreshLock: MemoryRefreshLock<C>
    /// Where this store announces ended sessions (deleted or expired), as Redis does over pub/sub.
    package nonisolated let endings = SessionEndings()
    private var sessions: [SessionKey: Session] = [:]
    private var subjectIndex: [String: Index] = [:]
    private var sidIndex: [String: Index] = [:]
    private var loginStates: [String: Expiring] = [:]
    private var seenTokenIDs: [String: C.Instant] = [:]
    private var writesSinceSweep = 0

    /// Creates an empty store using `clock` for expiry, with its own linked ``refreshLock``.
    package init(clock: C) {
        self.init(refreshLock: MemoryRefreshLock(clock: clock))
    }

    /// Creates an empty store whose fenced writes check `refreshLock`'s leases; it uses that lock's clock.
    package init(refreshLock: MemoryRefreshLock<C>) {
        self.clock = refreshLock.clock
        self.refreshLock = refreshLock
    }

    package func save(_ key: SessionKey, sealed: [UInt8], subject: String, sid: String?, ttl: Duration) {
        self.sweepOccasionally()
        self.write(key, sealed: sealed, subject: subject, sid: sid, ttl: ttl)
    }

    package func replace(_ key: SessionKey, sealed: [UInt8], subject: String, sid: String?, ttl: Duration, fence: LockOwner?) -> Bool {
        guard self.liveSession(key) != nil else { return false }
        guard let fence else {
            self.write(key, sealed: sealed, subject: subject, sid: sid, ttl: ttl)
            return true
        }
        // The lease table stays locked across the write: nobody takes the lock over in between.
        return self.refreshLock.leases.whileHeld(key, by: fence, at: self.clock.now) {
            self.write(key, sealed: sealed, subject: subject, sid: sid, ttl: ttl)
        } != nil
    }

    package func load(_ key: SessionKey) -> [UInt8]? {
        self.liveSession(key)?.sealed
    }

    @discardableResult
    package func touch(_ key: SessionKey, subject: String, sid: String?, ttl: Duration) -> Bool {
        guard let session = self.liveSession(key) else { return false }
        let deadline = self.clock.now.advanced(by: ttl)
        self.sessions[key]?.deadline = deadline
        // Index under the record's own subject and sid (what `remove` will unindex).
        self.index(key, subject: session.subject, sid: session.sid, until: deadline)
        return true
    }

    package func touch(_ key: SessionKey, subject: String, sid: String?, ttl: Duration, replacing expected: [UInt8], with sealed: [UInt8]) -> SessionTouch {
        guard let session = self.liveSession(key) else { return .gone }
        let rewrite = session.sealed == expected
        if rewrite { self.sessions[key]?.sealed = sealed }
        self.touch(key, subject: subject, sid: sid, ttl: ttl)
        return rewrite ? .rewritten : .touched
    }

    package func delete(_ key: SessionKey, subject: String?, sid: String?) {
        self.remove(key)
        // The caller's view of the indexes may be all it has when the record is gone or unreadable.
        if let subject { Self.removeEntry(key, from: &self.subjectIndex, name: subject) }
        if let sid { Self.removeEntry(key, from: &self.sidIndex, name: sid) }
    }

    package func keys(subject: String) -> [SessionKey] {
        self.prune(&self.subjectIndex, name: subject)
        return (self.subjectIndex[subject] ?? [:]).keys.filter { self.liveSession($0) != nil }.sorted { $0.rawValue < $1.rawValue }
    }

    @discardableResult
    package func deleteAll(subject: String) -> Int {
        self.deleteAll(in: Array((self.subjectIndex.removeValue(forKey: subject) ?? [:]).keys))
    }

    @discardableResult
    package func deleteAll(sid: String) -> Int {
        self.deleteAll(in: Array((self.sidIndex.removeValue(forKey: sid) ?? [:]).keys))
    }

    package func putLoginState(_ sealed: [UInt8], handle: String, ttl: Duration) {
        self.sweepOccasionally()
        self.loginStates[handle] = Expiring(value: sealed, deadline: self.clock.now.advanced(by: ttl))
    }

    package func takeLoginState(_ handle: String) -> [UInt8]? {
        guard let entry = self.loginStates.removeValue(forKey: handle), entry.deadline > self.clock.now else { return nil }
        return entry.value
    }

    package func markSeen(jti: String, ttl: Duration) -> Bool {
        self.sweepOccasionally()
        let now = self.clock.now
        if let deadline = self.seenTokenIDs[jti], deadline > now { return false }
        self.seenTokenIDs[jti] = now.advanced(by: ttl)
        return true
    }

    /// How many entries the `subject` index holds, live or not (for tests: Redis's `ZCARD`).
    package func indexEntryCount(subject: String) -> Int {
        self.subjectIndex[subject]?.count ?? 0
    }

    private func write(_ key: SessionKey, sealed: [UInt8], subject: String, sid: String?, ttl: Duration) {
        if let old = self.sessions[key] { self.unindex(key, subject: old.subject, sid: old.sid) }
        let deadline = self.clock.now.advanced(by: ttl)
        self.sessions[key] = Session(sealed: sealed, subject: subject, sid: sid, deadline: deadline)
        self.index(key, subject: subject, sid: sid, until: deadline)
    }

    /// Adds (or moves) the entries, pruning each index written of entries past their deadline.
    private func index(_ key: SessionKey, subject: String, sid: String?, until deadline: C.Instant) {
        self.prune(&self.subjectIndex, name: subject)
        self.subjectIndex[subject, default: [:]][key] = deadline
        if let sid {
            self.prune(&self.sidIndex, name: sid)
            self.sidIndex[sid, default: [:]][key] = deadline
        }
    }

    private func prune(_ indexes: inout [String: Index], name: String) {
        let now = self.clock.now
        guard let index = indexes[name] else { return }
        let live = index.filter { $0.value > now }
        indexes[name] = live.isEmpty ? nil : live
    }

    private func liveSession(_ key: SessionKey) -> Session? {
        guard let session = self.sessions[key] else { return nil }
        guard session.deadline > self.clock.now else {
            self.remove(key)
            return nil
        }
        return session
    }

    private func deleteAll(in keys: [SessionKey]) -> Int {
        var count = 0
        for key in keys where self.liveSession(key) != nil {
            self.remove(key)
            count += 1
        }
        return count
    }

    private func remove(_ key: SessionKey) {
        guard let session = self.sessions.removeValue(forKey: key) else { return }
        self.unindex(key, subject: session.subject, sid: session.sid)
        self.endings.ended(key)
    }

    private func unindex(_ key: SessionKey, subject: String, sid: String?) {
        Self.removeEntry(key, from: &self.subjectIndex, name: subject)
        if let sid { Self.removeEntry(key, from: &self.sidIndex, name: sid) }
    }

    private static func removeEntry(_ key: SessionKey, from indexes: inout [String: Index], name: String) {
        indexes[name]?[key] = nil
        if indexes[name]?.isEmpty == true { indexes[name] = nil }
    }

    // Expired entries nobody reads again would otherwise stay forever; sweep every so often.
    private func sweepOccasionally() {
        self.writesSinceSweep += 1
        guard self.writesSinceSweep >= 1024 else { return }
        self.writesSinceSweep = 0
        let now = self.clock.now
        for (key, session) in self.sessions where session.deadline <= now { self.remove(key) }
        self.loginStates = self.loginStates.filter { $0.value.deadline > now }
        self.seenTokenIDs = self.seenTokenIDs.filter { $0.value > now }
    }
}

extension MemorySessionStore where C == ContinuousClock {
    /// Creates an empty store on the continuous clock, with its own linked ``refreshLock``.
    package init() {
        self.init(clock: ContinuousClock())
    }
}

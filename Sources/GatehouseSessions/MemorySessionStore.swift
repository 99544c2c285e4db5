/// An in-process ``SessionStore`` for `gatehouse demo` and tests; expiry follows an injected clock.
///
/// Like Hummingbird's `MemoryPersistDriver`, time comes from `C`, so tests can advance a manual
/// clock instead of sleeping. Not shared between processes: use Redis for more than one replica.
public actor MemorySessionStore<C: Clock>: SessionStore where C.Duration == Duration {
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

    private let clock: C
    private var sessions: [SessionKey: Session] = [:]
    private var subjectIndex: [String: Set<SessionKey>] = [:]
    private var sidIndex: [String: Set<SessionKey>] = [:]
    private var loginStates: [String: Expiring] = [:]
    private var seenTokenIDs: [String: C.Instant] = [:]
    private var writesSinceSweep = 0

    /// Creates an empty store using `clock` for expiry.
    public init(clock: C) {
        self.clock = clock
    }

    public func save(_ key: SessionKey, sealed: [UInt8], subject: String, sid: String?, ttl: Duration) {
        self.sweepOccasionally()
        if let old = self.sessions[key] { self.unindex(key, subject: old.subject, sid: old.sid) }
        self.sessions[key] = Session(sealed: sealed, subject: subject, sid: sid, deadline: self.clock.now.advanced(by: ttl))
        self.subjectIndex[subject, default: []].insert(key)
        if let sid { self.sidIndex[sid, default: []].insert(key) }
    }

    public func load(_ key: SessionKey) -> [UInt8]? {
        self.liveSession(key)?.sealed
    }

    @discardableResult
    public func touch(_ key: SessionKey, subject: String, sid: String?, ttl: Duration) -> Bool {
        guard self.liveSession(key) != nil else { return false }
        self.sessions[key]?.deadline = self.clock.now.advanced(by: ttl)
        return true
    }

    public func delete(_ key: SessionKey, subject: String?, sid: String?) {
        self.remove(key)
        // The caller's view of the indexes may be all it has when the record is gone or unreadable.
        if let subject { self.subjectIndex[subject]?.remove(key) }
        if let sid { self.sidIndex[sid]?.remove(key) }
    }

    public func keys(subject: String) -> [SessionKey] {
        (self.subjectIndex[subject] ?? []).filter { self.liveSession($0) != nil }.sorted { $0.rawValue < $1.rawValue }
    }

    @discardableResult
    public func deleteAll(subject: String) -> Int {
        self.deleteAll(in: self.subjectIndex[subject] ?? [])
    }

    @discardableResult
    public func deleteAll(sid: String) -> Int {
        self.deleteAll(in: self.sidIndex[sid] ?? [])
    }

    public func putLoginState(_ sealed: [UInt8], handle: String, ttl: Duration) {
        self.sweepOccasionally()
        self.loginStates[handle] = Expiring(value: sealed, deadline: self.clock.now.advanced(by: ttl))
    }

    public func takeLoginState(_ handle: String) -> [UInt8]? {
        guard let entry = self.loginStates.removeValue(forKey: handle), entry.deadline > self.clock.now else { return nil }
        return entry.value
    }

    public func markSeen(jti: String, ttl: Duration) -> Bool {
        self.sweepOccasionally()
        let now = self.clock.now
        if let deadline = self.seenTokenIDs[jti], deadline > now { return false }
        self.seenTokenIDs[jti] = now.advanced(by: ttl)
        return true
    }

    private func liveSession(_ key: SessionKey) -> Session? {
        guard let session = self.sessions[key] else { return nil }
        guard session.deadline > self.clock.now else {
            self.remove(key)
            return nil
        }
        return session
    }

    private func deleteAll(in keys: Set<SessionKey>) -> Int {
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
    }

    private func unindex(_ key: SessionKey, subject: String, sid: String?) {
        self.subjectIndex[subject]?.remove(key)
        if self.subjectIndex[subject]?.isEmpty == true { self.subjectIndex[subject] = nil }
        if let sid {
            self.sidIndex[sid]?.remove(key)
            if self.sidIndex[sid]?.isEmpty == true { self.sidIndex[sid] = nil }
        }
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
    /// Creates an empty store on the continuous clock.
    public init() {
        self.init(clock: ContinuousClock())
    }
}

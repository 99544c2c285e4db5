package import Foundation
package import GatehouseOAuth

/// Sessions and login state over any ``SessionStore``: encodes, seals and computes TTLs in one place.
///
/// Stores only see hashed keys and AES-GCM-sealed bytes bound to those keys. A record that cannot
/// be opened or decoded is treated as no session (and removed), never as an error for the user.
package struct SessionVault: Sendable {
    /// The underlying store.
    package let store: any SessionStore
    private let keyRing: SessionKeyRing
    private let random: any RandomSource
    /// Session and login lifetimes.
    package let timeouts: SessionTimeouts
    /// Recently read sessions; `nil` reads the store every time.
    package let cache: SessionCache?

    /// Creates a vault.
    package init(
        store: any SessionStore, cipher: SessionCipher, timeouts: SessionTimeouts, random: any RandomSource = SystemRandomSource(),
        cache: SessionCache? = nil
    ) {
        self.store = store
        self.keyRing = SessionKeyRing(cipher)
        self.timeouts = timeouts
        self.random = random
        self.cache = cache
    }

    /// Seals with `cipher` from now on (a reload of `session.encryption_keys`). When a key that
    /// opened records is gone, the sessions it sealed end here too: they leave the cache, which
    /// would otherwise serve them without opening them again.
    package func replaceCipher(with cipher: SessionCipher) {
        if keyRing.replace(with: cipher) { cache?.removeAll() }
    }

    /// Stores `record` under a new random id (never a caller-supplied one: no fixation).
    ///
    /// - Returns: the id for the cookie; `nil` if `record` is already past its absolute expiry.
    package func create(_ record: SessionRecord, now: Date) async throws -> SessionID? {
        let id = SessionID.generate(using: self.random)
        guard try await self.write(record, key: id.key, now: now) else { return nil }
        return id
    }

    /// The record for `id`, sliding its idle timeout; `nil` when absent, expired or unreadable.
    ///
    /// - Parameter fromStore: skip the cache (before spending a refresh token, which another
    ///   replica may have rotated a moment ago).
    package func load(_ id: SessionID, now: Date, fromStore: Bool = false) async throws -> SessionRecord? {
        let key = id.key
        let instant = ContinuousClock.now
        if !fromStore, let cache, let record = cache.record(for: key, at: instant) {
            guard let ttl = self.timeouts.timeToLive(absoluteExpiresAt: record.absoluteExpiresAt, now: now) else {
                cache.remove(key)
                try await self.store.delete(key, subject: record.subject, sid: record.providerSessionID)
                return nil
            }
            if claimTouch(record, key: key, now: now, at: instant) {
                // The rewrite compares against the stored bytes, which the cache does not keep.
                guard let sealed = try await self.store.load(key), let stored = self.open(sealed, key: key) else {
                    // Gone from the store (ended elsewhere, or its TTL ran out).
                    cache.remove(key)
                    return nil
                }
                return try await self.touch(key, record: stored, sealed: sealed, ttl: ttl, now: now)
            }
            return record
        }
        guard let sealed = try await self.store.load(key) else {
            cache?.remove(key)
            return nil
        }
        guard let plaintext = try? self.keyRing.current.open(sealed, context: Self.context(session: key)),
            let record = try? SessionRecord(encoded: plaintext)
        else {
            // Tampered, a removed key, or an old format: the user just logs in again.
            cache?.remove(key)
            try await self.store.delete(key, subject: nil, sid: nil)
            return nil
        }
        guard let ttl = self.timeouts.timeToLive(absoluteExpiresAt: record.absoluteExpiresAt, now: now) else {
            cache?.remove(key)
            try await self.store.delete(key, subject: record.subject, sid: record.providerSessionID)
            return nil
        }
        cache?.store(record, for: key, at: instant)
        if claimTouch(record, key: key, now: now, at: instant) {
            return try await self.touch(key, record: record, sealed: sealed, ttl: ttl, now: now)
        }
        return record
    }

    /// Whether this read should slide the store's idle TTL: without a cache, every read does; with
    /// one, at most once per `touchInterval`, judged by the record's own `lastSeenAt` (written by
    /// every touch, on any replica), so a session that fell out of the cache — more sessions than
    /// it holds — is not touched again on every read, and by the cache's claim, so concurrent
    /// reads in this process touch once.
    private func claimTouch(_ record: SessionRecord, key: SessionKey, now: Date, at instant: ContinuousClock.Instant) -> Bool {
        guard let cache else { return true }
        let interval = cache.touchInterval.components
        guard now.timeIntervalSince(record.lastSeenAt) >= Double(interval.seconds) + Double(interval.attoseconds) / 1e18 else { return false }
        return cache.claimTouch(for: key, at: instant)
    }

    /// Slides the session's idle timeout and records `now` as its last use, without overwriting
    /// a record that changed since `sealed` was read; `nil` when the session is gone.
    private func touch(_ key: SessionKey, record: SessionRecord, sealed: [UInt8], ttl: Duration, now: Date) async throws -> SessionRecord? {
        var seen = record
        seen.lastSeenAt = now
        let resealed = try self.keyRing.current.seal(try seen.encoded(), context: Self.context(session: key))
        switch try await self.store.touch(key, subject: record.subject, sid: record.providerSessionID, ttl: ttl, replacing: sealed, with: resealed) {
        case .gone:
            cache?.remove(key)
            return nil
        case .touched:
            // A refresh wrote a newer record meanwhile: read that one next time.
            cache?.remove(key)
            return record
        case .rewritten:
            cache?.store(seen, for: key, at: .now)
            return seen
        }
    }

    /// Rewrites the record for `id` (after a refresh); `false` if it has passed its absolute expiry.
    @discardableResult
    package func update(_ id: SessionID, record: SessionRecord, now: Date) async throws -> Bool {
        var record = record
        record.lastSeenAt = now
        guard try await self.write(record, key: id.key, now: now) else { return false }
        cache?.store(record, for: id.key, at: .now)
        return true
    }

    /// Writes back the record for `id` after a refresh, but only if the session still exists and,
    /// with a `fence`, this caller still holds its refresh lock — in one atomic step in the store.
    /// A session that ended (logout, back-channel logout, `invalid_grant` elsewhere) while the
    /// provider answered stays ended.
    ///
    /// The cache keeps the new record only on success; on failure (or a store error) the key is
    /// evicted, so this replica does not keep serving what the store no longer holds.
    ///
    /// - Returns: `false` when nothing was written: the session is gone, the lock is lost, or the
    ///   record has passed its absolute expiry. The caller should revoke the new tokens.
    package func replace(_ id: SessionID, record: SessionRecord, now: Date, fence: LockOwner?) async throws -> Bool {
        let key = id.key
        var record = record
        record.lastSeenAt = now
        guard let ttl = self.timeouts.timeToLive(absoluteExpiresAt: record.absoluteExpiresAt, now: now) else {
            cache?.remove(key)
            return false
        }
        let replaced: Bool
        do {
            let sealed = try self.keyRing.current.seal(try record.encoded(), context: Self.context(session: key))
            replaced = try await self.store.replace(
                key, sealed: sealed, subject: record.subject, sid: record.providerSessionID, ttl: ttl, fence: fence
            )
        } catch {
            cache?.remove(key)
            throw error
        }
        if replaced {
            cache?.store(record, for: key, at: .now)
        } else {
            cache?.remove(key)
        }
        return replaced
    }

    /// Ends the session `id`: deletes the record and its index entries.
    ///
    /// - Returns: the record as it was, when readable (for revocation and the logout URL).
    @discardableResult
    package func end(_ id: SessionID) async throws -> SessionRecord? {
        try await self.end(key: id.key)
    }

    /// Ends the session stored under `key` (the sessions API names sessions by handle, not id).
    @discardableResult
    package func end(key: SessionKey) async throws -> SessionRecord? {
        cache?.remove(key)
        let record = try await self.store.load(key).flatMap { self.open($0, key: key) }
        try await self.store.delete(key, subject: record?.subject, sid: record?.providerSessionID)
        return record
    }

    /// Ends every session of a user (back-channel logout with only `sub`).
    @discardableResult
    package func endAll(subject: String) async throws -> Int {
        // The keys are not known here: forget everything rather than serve an ended session.
        cache?.removeAll()
        return try await self.store.deleteAll(subject: subject)
    }

    /// Ends every session of a provider session (back-channel logout with `sid`).
    @discardableResult
    package func endAll(providerSessionID sid: String) async throws -> Int {
        cache?.removeAll()
        return try await self.store.deleteAll(sid: sid)
    }

    /// Enforces a per-user session limit: when `subject` has more than `limit` live sessions, ends
    /// (record, index entries, cache, ended-session announcement) those with the oldest
    /// `createdAt` beyond the newest `limit`. Call it after creating a session.
    ///
    /// Unreadable records under the subject (a removed cipher key) and ones past their absolute
    /// expiry at `now` are no session, so they are removed too and do not count; they are not returned.
    ///
    /// - Parameter limit: how many sessions to keep; `0` or less means unlimited (nothing happens).
    /// - Returns: the records of the sessions ended, so their refresh tokens can be revoked.
    @discardableResult
    package func endOldest(subject: String, keeping limit: Int, now: Date) async throws -> [SessionRecord] {
        guard limit > 0 else { return [] }
        var live = try await self.sessions(subject: subject, now: now)
        guard live.count > limit else { return [] }
        // Newest first; the key breaks ties so every replica picks the same sessions.
        live.sort { ($0.record.createdAt, $0.key.rawValue) > ($1.record.createdAt, $1.key.rawValue) }
        var ended: [SessionRecord] = []
        for (key, record) in live.dropFirst(limit) {
            cache?.remove(key)
            try await self.store.delete(key, subject: record.subject, sid: record.providerSessionID)
            ended.append(record)
        }
        return ended
    }

    /// The live sessions of `subject`, read from the store. Unreadable records under the subject
    /// (a removed cipher key) and ones past their absolute expiry at `now` are no session: they
    /// are removed, and not returned.
    package func sessions(subject: String, now: Date) async throws -> [(key: SessionKey, record: SessionRecord)] {
        var live: [(key: SessionKey, record: SessionRecord)] = []
        for key in try await self.store.keys(subject: subject) {
            guard let sealed = try await self.store.load(key) else { continue }
            guard let record = self.open(sealed, key: key), record.subject == subject, !record.isExpired(at: now) else {
                cache?.remove(key)
                try await self.store.delete(key, subject: subject, sid: nil)
                continue
            }
            live.append((key, record))
        }
        return live
    }

    /// The record under `key` as the store holds it, without sliding its idle timeout or using
    /// the cache; `nil` when it is gone, unreadable or past its absolute expiry.
    package func peek(_ key: SessionKey, now: Date) async throws -> SessionRecord? {
        guard let sealed = try await self.store.load(key), let record = self.open(sealed, key: key), !record.isExpired(at: now) else { return nil }
        return record
    }

    /// The sessions API's name for the session under `key`.
    package func handle(for key: SessionKey) -> SessionHandle {
        SessionHandle(key: key, cipher: self.keyRing.current)
    }

    /// Stores login state sealed, under a hash of `handle` (e.g. the `state` value), for the login timeout.
    package func putLoginState(_ state: LoginState, handle: String) async throws {
        let storeHandle = SessionKey(hashing: handle).rawValue
        let sealed = try self.keyRing.current.seal(try state.encoded(), context: Self.context(login: storeHandle))
        try await self.store.putLoginState(sealed, handle: storeHandle, ttl: self.timeouts.login)
    }

    /// Takes the login state for `handle`, once; `nil` when unknown, already taken, expired or unreadable.
    package func takeLoginState(handle: String, now: Date) async throws -> LoginState? {
        let storeHandle = SessionKey(hashing: handle).rawValue
        guard let sealed = try await self.store.takeLoginState(storeHandle),
            let plaintext = try? self.keyRing.current.open(sealed, context: Self.context(login: storeHandle)),
            let state = try? LoginState(encoded: plaintext)
        else { return nil }
        // The store's TTL is the main guard; this catches a store whose clock runs late.
        guard now.timeIntervalSince(state.createdAt) <= self.timeouts.login.timeInterval else { return nil }
        return state
    }

    /// Records a logout token's `jti`; `false` on a replay.
    package func markLogoutTokenSeen(jti: String, ttl: Duration) async throws -> Bool {
        try await self.store.markSeen(jti: SessionKey(hashing: jti).rawValue, ttl: ttl)
    }

    private func write(_ record: SessionRecord, key: SessionKey, now: Date) async throws -> Bool {
        guard let ttl = self.timeouts.timeToLive(absoluteExpiresAt: record.absoluteExpiresAt, now: now) else { return false }
        let sealed = try self.keyRing.current.seal(try record.encoded(), context: Self.context(session: key))
        try await self.store.save(key, sealed: sealed, subject: record.subject, sid: record.providerSessionID, ttl: ttl)
        return true
    }

    private func open(_ sealed: [UInt8], key: SessionKey) -> SessionRecord? {
        (try? self.keyRing.current.open(sealed, context: Self.context(session: key))).flatMap { try? SessionRecord(encoded: $0) }
    }

    // Associated data: a record opens only under the store key it was sealed for.
    static func context(session key: SessionKey) -> String { "gatehouse.session:" + key.rawValue }
    static func context(login handle: String) -> String { "gatehouse.login:" + handle }
}

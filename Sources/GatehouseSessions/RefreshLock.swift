/// A lease-based lock per session, so that only one replica refreshes a session's tokens at a time.
///
/// The lease must outlive a slow token endpoint; the holder renews it while the refresh runs and
/// re-reads the session after acquiring it.
package protocol RefreshLock: Sendable {
    /// Takes the lock for `lease` unless someone holds it; `true` when taken.
    func acquire(_ key: SessionKey, owner: LockOwner, lease: Duration) async throws -> Bool

    /// Extends the lease to `lease` from now, only if `owner` still holds the lock.
    func renew(_ key: SessionKey, owner: LockOwner, lease: Duration) async throws -> Bool

    /// Releases the lock, only if `owner` still holds it; `true` when released.
    @discardableResult
    func release(_ key: SessionKey, owner: LockOwner) async throws -> Bool

    /// Takes the lock, or — when another replica holds it — waits until that holder releases it
    /// or `timeout` passes, without polling the store.
    func acquireOrWait(_ key: SessionKey, owner: LockOwner, lease: Duration, timeout: Duration) async throws -> RefreshLockOutcome
}

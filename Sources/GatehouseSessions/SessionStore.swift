/// The byte-level storage seam for sessions, login state and logout-token replay tracking.
///
/// Deliberately narrow: stores see only sealed bytes and hashed keys (``SessionVault`` applies the
/// cipher, in one place, for every store). Every operation maps onto a few Redis commands —
/// `SET PX`, `GET`, `PEXPIRE`, `DEL`, `GETDEL`, `SET NX PX`, `ZADD`/`ZREM`/`ZRANGE` — so a
/// Redis store and the memory store behave alike; `SessionStoreConformance` checks that.
///
/// The `subject` and `sid` indexes hold only live sessions: each entry expires with its
/// session, and expired entries are pruned whenever the index is written.
package protocol SessionStore: Sendable {
    /// Stores a sealed record under `key` for `ttl` and adds `key` to the `subject` (and `sid`) indexes.
    func save(_ key: SessionKey, sealed: [UInt8], subject: String, sid: String?, ttl: Duration) async throws

    /// Like ``save(_:sealed:subject:sid:ttl:)``, in one atomic step, but only when the record still
    /// exists and — when `fence` is given — the refresh lock for `key` is still held by `fence`
    /// (an unexpired lease). A refresh writes back with this, so a session that ended while the
    /// provider answered is not brought back, and a holder whose lease ran out cannot overwrite
    /// the newer tokens of the one that took over.
    ///
    /// - Returns: `false`, having written nothing, when the record is gone or the lock is not held.
    func replace(_ key: SessionKey, sealed: [UInt8], subject: String, sid: String?, ttl: Duration, fence: LockOwner?) async throws -> Bool

    /// The sealed record, or `nil` when absent or expired.
    func load(_ key: SessionKey) async throws -> [UInt8]?

    /// Resets the record's time to live without rewriting it (sliding idle timeout), and keeps
    /// its `subject` and `sid` index entries alive at least as long, so back-channel logout still
    /// finds a session that has outlived its first TTL; `false` when absent.
    @discardableResult
    func touch(_ key: SessionKey, subject: String, sid: String?, ttl: Duration) async throws -> Bool

    /// Like ``touch(_:subject:sid:ttl:)``, and when the stored bytes are still `expected`, replaces
    /// them with `sealed` (the same record with a new last-seen time) in the same atomic step. A
    /// record that changed meanwhile — a refresh wrote new tokens — is kept as it is, so a touch
    /// never puts back tokens a refresh replaced.
    func touch(_ key: SessionKey, subject: String, sid: String?, ttl: Duration, replacing expected: [UInt8], with sealed: [UInt8]) async throws -> SessionTouch

    /// Deletes the record and removes it from the indexes.
    func delete(_ key: SessionKey, subject: String?, sid: String?) async throws

    /// The keys of the live sessions indexed under `subject` (never ones that expired or ended).
    func keys(subject: String) async throws -> [SessionKey]

    /// Deletes every record indexed under `subject` and announces each as ended; returns how many
    /// records existed. Works in bounded batches, so a huge index never blocks the store for long.
    @discardableResult
    func deleteAll(subject: String) async throws -> Int

    /// Deletes every record indexed under the provider session `sid`; returns how many records existed.
    @discardableResult
    func deleteAll(sid: String) async throws -> Int

    /// Stores sealed login state under `handle` for `ttl`.
    func putLoginState(_ sealed: [UInt8], handle: String, ttl: Duration) async throws

    /// Returns and removes the login state in one atomic step: of concurrent callers, one gets it.
    func takeLoginState(_ handle: String) async throws -> [UInt8]?

    /// Records a logout token's `jti` for `ttl`; `false` when it was already recorded (a replay).
    func markSeen(jti: String, ttl: Duration) async throws -> Bool
}

/// The byte-level storage seam for sessions, login state and logout-token replay tracking.
///
/// Deliberately narrow: stores see only sealed bytes and hashed keys (``SessionVault`` applies the
/// cipher, in one place, for every store). Every operation maps onto a few Redis commands —
/// `SET PX`, `GET`, `PEXPIRE`, `DEL`, `GETDEL`, `SET NX PX`, `SADD`/`SREM`/`SMEMBERS` — so a
/// Redis store and the memory store behave alike; `SessionStoreConformance` checks that.
public protocol SessionStore: Sendable {
    /// Stores a sealed record under `key` for `ttl` and adds `key` to the `subject` (and `sid`) indexes.
    func save(_ key: SessionKey, sealed: [UInt8], subject: String, sid: String?, ttl: Duration) async throws

    /// The sealed record, or `nil` when absent or expired.
    func load(_ key: SessionKey) async throws -> [UInt8]?

    /// Resets the record's time to live without rewriting it (sliding idle timeout), and keeps
    /// its `subject` and `sid` index entries alive at least as long, so back-channel logout still
    /// finds a session that has outlived its first TTL; `false` when absent.
    @discardableResult
    func touch(_ key: SessionKey, subject: String, sid: String?, ttl: Duration) async throws -> Bool

    /// Deletes the record and removes it from the indexes.
    func delete(_ key: SessionKey, subject: String?, sid: String?) async throws

    /// The keys indexed under `subject`. May include keys whose records have since expired.
    func keys(subject: String) async throws -> [SessionKey]

    /// Deletes every record indexed under `subject`; returns how many records existed.
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

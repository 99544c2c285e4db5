import GatehouseSessions

/// Where Gatehouse's data lives in Redis. Every name is a prefix plus a hash:
/// no cookie value, subject, `sid` or `jti` appears in a key.
///
/// On Redis Cluster a session's record and its refresh lock carry the session's hash as a hash
/// tag (`gatehouse:{<hash>}:s`, `gatehouse:{<hash>}:lock`), so the fenced write-back that reads
/// the lock and writes the record runs as one script on one node; the record is still found
/// from the cookie alone (hash of the cookie → key). Indexes, login state and `jti` marks each
/// hash to a slot of their own. Standalone and Sentinel keep the layout they always had.
struct RedisKeyspace: Sendable {
    let prefix: String
    var clustered = false

    /// Session keys are this plus the key's hex digest (the standalone Lua scripts build them too).
    var sessionPrefix: String { prefix + "s:" }
    func session(_ key: SessionKey) -> String { clustered ? prefix + "{" + key.rawValue + "}:s" : sessionPrefix + key.rawValue }
    func subjectIndex(_ subject: String) -> String { prefix + "sub:" + SessionKey(hashing: subject).rawValue }
    func sidIndex(_ sid: String) -> String { prefix + "sid:" + SessionKey(hashing: sid).rawValue }
    func loginState(_ handle: String) -> String { prefix + "login:" + SessionKey(hashing: handle).rawValue }
    func seenJTI(_ jti: String) -> String { prefix + "jti:" + SessionKey(hashing: jti).rawValue }
    /// Cluster only: marks a session ended by `deleteAll` for a minute, in the record's slot, so a
    /// save of it still in flight cannot write the record after the logout read the index.
    func endedMark(_ key: SessionKey) -> String { prefix + "{" + key.rawValue + "}:ended" }
    func refreshLock(_ key: SessionKey) -> String { clustered ? prefix + "{" + key.rawValue + "}:lock" : prefix + "lock:" + key.rawValue }
    /// Where a released refresh lock is announced (the payload is the session key).
    var refreshReleasedChannel: String { prefix + "refresh-released" }
    /// Where ended sessions are announced (the payload is the session key), so replicas drop cached copies.
    var sessionEndedChannel: String { prefix + "session-ended" }

    /// Index keys for a session's subject and optional provider session.
    func indexes(subject: String?, sid: String?) -> [String] {
        var keys: [String] = []
        if let subject { keys.append(subjectIndex(subject)) }
        if let sid { keys.append(sidIndex(sid)) }
        return keys
    }
}

extension Duration {
    /// Whole milliseconds, at least 1 (Redis refuses `PX 0`).
    var redisMilliseconds: Int {
        let (seconds, attoseconds) = components
        return max(1, Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000))
    }
}

/// Runs a store operation, turning Redis failures into the store seam's error,
/// which the HTTP layer answers with 503.
func mappingRedisErrors<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as RedisClientError {
        throw error.isConnectionFailure ? SessionStoreError.unavailable(error.description) : SessionStoreError.failed(error.description)
    }
}

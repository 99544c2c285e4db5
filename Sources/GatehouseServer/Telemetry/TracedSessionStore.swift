import GatehouseSessions
import Tracing

/// A session store whose every call is a client span (`session_store <operation>`) under the
/// request's span. Only the operation and whether it found something are recorded: keys, handles
/// and `jti`s stay out, because a session key is what the cookie is hashed to.
struct TracedSessionStore: SessionStore {
    let base: any SessionStore
    let tracing: RequestTracing

    private func span<T>(_ operation: String, _ body: () async throws -> T) async throws -> T {
        try await tracing.withSpan("session_store \(operation)", ofKind: .client) { span in
            span.attributes["db.operation.name"] = operation
            return try await body()
        }
    }

    private func found<T>(_ operation: String, _ body: () async throws -> T?) async throws -> T? {
        try await tracing.withSpan("session_store \(operation)", ofKind: .client) { span in
            span.attributes["db.operation.name"] = operation
            let value = try await body()
            span.attributes["gatehouse.found"] = value != nil
            return value
        }
    }

    func save(_ key: SessionKey, sealed: [UInt8], subject: String, sid: String?, ttl: Duration) async throws {
        try await span("save") { try await base.save(key, sealed: sealed, subject: subject, sid: sid, ttl: ttl) }
    }

    func replace(_ key: SessionKey, sealed: [UInt8], subject: String, sid: String?, ttl: Duration, fence: LockOwner?) async throws -> Bool {
        try await span("replace") { try await base.replace(key, sealed: sealed, subject: subject, sid: sid, ttl: ttl, fence: fence) }
    }

    func load(_ key: SessionKey) async throws -> [UInt8]? {
        try await found("load") { try await base.load(key) }
    }

    func touch(_ key: SessionKey, subject: String, sid: String?, ttl: Duration) async throws -> Bool {
        try await span("touch") { try await base.touch(key, subject: subject, sid: sid, ttl: ttl) }
    }

    func touch(_ key: SessionKey, subject: String, sid: String?, ttl: Duration, replacing expected: [UInt8], with sealed: [UInt8]) async throws -> SessionTouch {
        try await span("touch") { try await base.touch(key, subject: subject, sid: sid, ttl: ttl, replacing: expected, with: sealed) }
    }

    func delete(_ key: SessionKey, subject: String?, sid: String?) async throws {
        try await span("delete") { try await base.delete(key, subject: subject, sid: sid) }
    }

    func keys(subject: String) async throws -> [SessionKey] {
        try await span("keys") { try await base.keys(subject: subject) }
    }

    func deleteAll(subject: String) async throws -> Int {
        try await span("delete_all") { try await base.deleteAll(subject: subject) }
    }

    func deleteAll(sid: String) async throws -> Int {
        try await span("delete_all") { try await base.deleteAll(sid: sid) }
    }

    func putLoginState(_ sealed: [UInt8], handle: String, ttl: Duration) async throws {
        try await span("put_login_state") { try await base.putLoginState(sealed, handle: handle, ttl: ttl) }
    }

    func takeLoginState(_ handle: String) async throws -> [UInt8]? {
        try await found("take_login_state") { try await base.takeLoginState(handle) }
    }

    func markSeen(jti: String, ttl: Duration) async throws -> Bool {
        try await span("mark_seen") { try await base.markSeen(jti: jti, ttl: ttl) }
    }
}

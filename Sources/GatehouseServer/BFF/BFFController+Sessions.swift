import Foundation
import GatehouseOAuth
import GatehouseSessions
import HTTPTypes
import Hummingbird
import Logging

extension BFFController {
    /// `GET /bff/sessions`: every live session of the signed-in user, newest use first.
    func sessions(_ request: Request, context: GatehouseRequestContext) async throws -> Response {
        guard let (id, record) = try await currentSession(request, fromStore: true) else { throw BFFError.notSignedIn }
        let live = try await storeCall { try await vault.sessions(subject: record.subject, now: now()) }
        return try Self.json(["sessions": sessionList(live, current: id.key)])
    }

    /// `DELETE /bff/sessions/{id}`: ends one session of the same user everywhere, like a logout.
    func endSession(_ request: Request, context: GatehouseRequestContext) async throws -> Response {
        guard let (id, record) = try await currentSession(request, fromStore: true) else { throw BFFError.notSignedIn }
        let handle = context.parameters.get("handle").flatMap(SessionHandle.init(rawValue:))
        let live = try await storeCall { try await vault.sessions(subject: record.subject, now: now()) }
        guard let handle, let target = live.first(where: { vault.handle(for: $0.key) == handle }) else { throw BFFError.sessionNotFound }
        let ended = try await end([target], logger: context.logger)
        context.logger.info("session ended", metadata: ["gatehouse.event": EventName.sessionEnded, "gatehouse.session": "\(target.key)", "gatehouse.sessions_ended": "\(ended)"])
        var headers: HTTPFields = [.cacheControl: "no-store"]
        if target.key == id.key {
            // Its own session: this browser is signed out, like after /bff/logout.
            headers.append(HTTPField(name: .setCookie, value: expiredCookie(configuration.session.cookieName, sameSite: sameSite).description))
        }
        return Response(status: .noContent, headers: headers)
    }

    /// `POST /bff/sessions/end-others`: ends every session of the user but the caller's.
    func endOtherSessions(_ request: Request, context: GatehouseRequestContext) async throws -> Response {
        guard let (id, record) = try await currentSession(request, fromStore: true) else { throw BFFError.notSignedIn }
        let others = try await storeCall { try await vault.sessions(subject: record.subject, now: now()) }.filter { $0.key != id.key }
        let ended = try await end(others, logger: context.logger)
        context.logger.info("other sessions ended", metadata: ["gatehouse.event": EventName.sessionsEndedOthers, "gatehouse.sessions_ended": "\(ended)"])
        return try Self.json(["ended": .integer(Int64(ended))])
    }

    /// Ends sessions like a logout each: record and index entries (the store announces the end,
    /// so every replica drops its cached copy and closes the session's streams), and the refresh
    /// token revoked at the provider.
    ///
    /// - Returns: how many were still there to end.
    func end(_ sessions: [(key: SessionKey, record: SessionRecord)], logger: Logger) async throws -> Int {
        guard !sessions.isEmpty else { return 0 }
        let metadata = try? await provider.metadata()
        var ended = 0
        for (key, _) in sessions {
            guard let record = try await storeCall({ try await vault.end(key: key) }) else { continue }
            ended += 1
            await revokeRefreshToken(of: record, metadata: metadata, logger: logger)
        }
        return ended
    }

    /// The sessions list of the sessions and admin APIs; `current` marks the caller's own.
    func sessionList(_ sessions: [(key: SessionKey, record: SessionRecord)], current: SessionKey?) -> JSONValue {
        let idle = configuration.sessionTimeouts.idle
        func time(_ date: Date) -> JSONValue { .string(date.formatted(.iso8601)) }
        let rows = sessions.sorted { ($0.record.lastSeenAt, $0.key.rawValue) > ($1.record.lastSeenAt, $1.key.rawValue) }.map { key, record in
            JSONValue.object([
                "id": .string(vault.handle(for: key).rawValue),
                "created_at": time(record.createdAt),
                "last_seen_at": time(record.lastSeenAt),
                "expires_at": time(record.expiresAt(idleTimeout: idle)),
                "user_agent": record.userAgent.map(JSONValue.string) ?? .null,
                "ip": record.clientIP.map(JSONValue.string) ?? .null,
                "current": .bool(key == current),
            ])
        }
        return .array(rows)
    }
}

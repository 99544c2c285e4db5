import Crypto
import Foundation
import GatehouseOAuth
import GatehouseSessions
import HTTPTypes
import Hummingbird
import Logging

/// `GET` and `DELETE /admin/sessions?sub=S` on the admin listener: the sessions of one subject,
/// and ending them all on every replica (incident response). Registered only when `admin.token`
/// is set, so without one `/admin/*` is 404. Every call is logged: which action, a hash of the
/// subject, how many sessions — never the bearer or a session's tokens.
struct AdminSessionsAPI: Sendable {
    let controller: BFFController
    /// SHA-256 of `admin.token`: compared with the caller's digest, which swift-crypto does in constant time.
    private let tokenDigest: SHA256Digest
    private let logger = Logger(label: "gatehouse.admin")

    init(controller: BFFController, token: String) {
        self.controller = controller
        self.tokenDigest = SHA256.hash(data: Array(token.utf8))
    }

    func addRoutes(to router: Router<BasicRequestContext>) {
        router.get("admin/sessions") { request, _ in try await list(request) }
        router.delete("admin/sessions") { request, _ in try await endAll(request) }
    }

    private func list(_ request: Request) async throws -> Response {
        let subject = try authorized(request, action: "list")
        let live = try await controller.storeCall { try await controller.vault.sessions(subject: subject, now: Date()) }
        logger.notice("admin listed sessions", metadata: [
            "gatehouse.event": EventName.adminSessionsListed, "gatehouse.subject": "\(Self.hash(subject))", "gatehouse.sessions": "\(live.count)",
        ])
        return try BFFController.json(["sessions": controller.sessionList(live, current: nil)])
    }

    private func endAll(_ request: Request) async throws -> Response {
        let subject = try authorized(request, action: "end")
        let live = try await controller.storeCall { try await controller.vault.sessions(subject: subject, now: Date()) }
        var ended = try await controller.end(live, logger: logger)
        // Whatever the list could not read (a record sealed with a removed key) ends too.
        ended += try await controller.storeCall { try await controller.vault.endAll(subject: subject) }
        logger.notice("admin ended sessions", metadata: [
            "gatehouse.event": EventName.adminSessionsEnded, "gatehouse.subject": "\(Self.hash(subject))", "gatehouse.sessions_ended": "\(ended)",
        ])
        return try BFFController.json(["ended": .integer(Int64(ended))])
    }

    /// The `sub` asked about, once the bearer is `admin.token`.
    private func authorized(_ request: Request, action: String) throws -> String {
        let bearer = request.headers[.authorization].flatMap { value -> Substring? in
            guard value.count > 7, value.prefix(7).lowercased() == "bearer " else { return nil }
            return value.dropFirst(7)
        }
        guard let bearer, SHA256.hash(data: Array(bearer.utf8)) == tokenDigest else {
            logger.warning("admin call refused", metadata: ["gatehouse.event": EventName.adminUnauthorized, "gatehouse.action": "\(action)"])
            throw BFFError.adminUnauthorized
        }
        guard let subject = request.uri.queryParameters["sub"].map(String.init), !subject.isEmpty, subject.utf8.count <= 255 else {
            throw BFFError.invalidRequest("give the subject as ?sub=")
        }
        return subject
    }

    /// How logs name a subject: enough to correlate, not the identifier itself.
    static func hash(_ subject: String) -> String {
        String(SessionKey(hashing: subject).rawValue.prefix(16))
    }
}

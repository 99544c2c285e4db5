import Foundation
import GatehouseOAuth
import Hummingbird

extension BFFController {
    /// `GET /bff/user`: the ID-token claims plus `session_expires_at`; never a token.
    func user(_ request: Request, context: GatehouseRequestContext) async throws -> Response {
        // The session's own endpoint always asks the store: it is where the SPA learns the truth.
        guard let (_, record) = try await currentSession(request, fromStore: true) else { throw BFFError.notSignedIn }
        var claims = record.claims
        for excluded in ["nonce", "at_hash", "c_hash"] { claims[excluded] = nil }
        let idleEnd = now().addingTimeInterval(configuration.sessionTimeouts.idle.timeInterval)
        let expires = min(idleEnd, record.absoluteExpiresAt)
        claims["session_expires_at"] = .number(expires.timeIntervalSince1970.rounded(.down))
        return try Self.json(claims)
    }
}

extension Duration {
    /// Seconds as a `TimeInterval`.
    var timeInterval: TimeInterval {
        TimeInterval(components.seconds) + TimeInterval(components.attoseconds) / 1e18
    }
}

import Foundation
import GatehouseOAuth
import Hummingbird

extension BFFController {
    /// `POST /bff/backchannel-logout` (OpenID Connect Back-Channel Logout 1.0):
    /// from the provider, form-encoded `logout_token`; no cookie, no CSRF header.
    func backchannelLogout(_ request: Request, context: GatehouseRequestContext) async throws -> Response {
        let body = try await Self.collect(request.body, limit: 64 * 1024, within: configuration.limits.bodyReadTimeout)
        let form = String(buffer: body)
        guard let token = FormBody.value("logout_token", in: form), !token.isEmpty else {
            throw BFFError.invalidRequest("A form-encoded logout_token is required.")
        }
        let claims: LogoutTokenClaims
        do {
            claims = try await provider.validateLogoutToken(token, now: now())
        } catch let error as JWTValidationError {
            context.logger.warning("logout token rejected", metadata: ["gatehouse.event": EventName.backchannelRejected, "gatehouse.error": "\(error)"])
            throw BFFError.invalidRequest("The logout token did not validate.")
        }
        let fresh = try await storeCall { try await vault.markLogoutTokenSeen(jti: claims.tokenID, ttl: provider.logoutReplayWindow) }
        guard fresh else {
            throw BFFError.invalidRequest("The logout token was already used.")
        }
        let ended: Int
        if let sid = claims.sessionID {
            ended = try await storeCall { try await vault.endAll(providerSessionID: sid) }
        } else if let subject = claims.subject {
            ended = try await storeCall { try await vault.endAll(subject: subject) }
        } else {
            ended = 0
        }
        context.logger.info("back-channel logout", metadata: ["gatehouse.event": EventName.backchannelOk, "gatehouse.sessions_ended": "\(ended)"])
        var headers: HTTPFields = [.cacheControl: "no-store"]
        headers[.contentType] = "application/json"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: "{}")))
    }

    /// A body Gatehouse reads itself, whole, within `timeout` (`limits.body_read_timeout`): a client
    /// that trickles it is answered 408 instead of holding the request open.
    static func collect(_ body: RequestBody, limit: Int, within timeout: Duration) async throws -> ByteBuffer {
        try await withThrowingTaskGroup(of: ByteBuffer?.self) { group in
            group.addTask { try await body.collect(upTo: limit) }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let collected = first else { throw BFFError.bodyTimeout }
            return collected
        }
    }
}

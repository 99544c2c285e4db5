import Foundation
import GatehouseOAuth
import Hummingbird

extension BFFController {
    /// `POST /bff/backchannel-logout` (OpenID Connect Back-Channel Logout 1.0):
    /// from the provider, form-encoded `logout_token`; no cookie, no CSRF header.
    func backchannelLogout(_ request: Request, context: GatehouseRequestContext) async throws -> Response {
        let body = try await request.body.collect(upTo: 64 * 1024)
        let form = String(buffer: body)
        guard let token = Self.formValue("logout_token", in: form), !token.isEmpty else {
            throw BFFError(status: .badRequest, code: "invalid_request", message: "A form-encoded logout_token is required.")
        }
        let claims: LogoutTokenClaims
        do {
            claims = try await provider.validateLogoutToken(token, now: now())
        } catch let error as JWTValidationError {
            context.logger.warning("logout token rejected", metadata: ["gatehouse.event": "backchannel.rejected", "gatehouse.error": "\(error)"])
            throw BFFError(status: .badRequest, code: "invalid_request", message: "The logout token did not validate.")
        }
        let fresh = try await storeCall { try await vault.markLogoutTokenSeen(jti: claims.tokenID, ttl: provider.logoutReplayWindow) }
        guard fresh else {
            throw BFFError(status: .badRequest, code: "invalid_request", message: "The logout token was already used.")
        }
        let ended: Int
        if let sid = claims.sessionID {
            ended = try await storeCall { try await vault.endAll(providerSessionID: sid) }
        } else if let subject = claims.subject {
            ended = try await storeCall { try await vault.endAll(subject: subject) }
        } else {
            ended = 0
        }
        context.logger.info("back-channel logout", metadata: ["gatehouse.event": "backchannel.ok", "gatehouse.sessions_ended": "\(ended)"])
        var headers: HTTPFields = [.cacheControl: "no-store"]
        headers[.contentType] = "application/json"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: "{}")))
    }

    /// The first value of `name` in an `application/x-www-form-urlencoded` body.
    static func formValue(_ name: String, in form: String) -> String? {
        for pair in form.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0] == name else { continue }
            return String(parts[1]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding
        }
        return nil
    }
}

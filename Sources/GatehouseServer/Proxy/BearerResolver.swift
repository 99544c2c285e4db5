package import GatehouseOAuth
package import GatehouseSessions
package import Hummingbird
import Foundation
import Logging
import NIOHTTP1

/// Which access token a proxied request carries, by the route's token mode:
/// the session's (refreshed when due), the client's, or none. Shared by the
/// HTTP proxy and WebSocket upgrades.
package struct BearerResolver: Sendable {
    let controller: BFFController
    let tokens: TokenService
    let clientTokens: ClientTokenService
    private let logger = Logger(label: "gatehouse.authorization")

    package init(controller: BFFController, tokens: TokenService, clientTokens: ClientTokenService) {
        self.controller = controller
        self.tokens = tokens
        self.clientTokens = clientTokens
    }

    /// What a proxied request carries, and the session whose token that is.
    package struct Bearer: Sendable {
        /// The token to send, `nil` for none.
        package var token: AccessToken?
        /// The session the token is the user's of: a stream on it closes when it ends.
        package var session: (key: SessionKey, record: SessionRecord)?
        /// The session's DPoP key when its tokens are bound to one (`oidc.dpop`): each call then
        /// carries `Authorization: DPoP` and a proof of this key for that very request.
        package var proofKey: DPoPKey?

        /// A proof for sending the token as `method` to `url`, or `nil` for a bearer token.
        func proof(method: String, url: String, nonce: String? = nil, now: Date, random: any RandomSource) -> String? {
            guard let proofKey, let token, let target = URL(string: url) else { return nil }
            return try? proofKey.proof(method: method, url: target, accessToken: token, nonce: nonce, now: now, random: RandomSourceBox(base: random))
        }

        /// The nonce of an upstream's `401` with `WWW-Authenticate: DPoP error="use_dpop_nonce"` and
        /// `DPoP-Nonce` (RFC 9449 §9), when this call sent a proof; `nil` for any other answer.
        func nonceChallenge(status: Int, headers: HTTPHeaders) -> String? {
            guard proofKey != nil, status == 401, let nonce = headers.first(name: "DPoP-Nonce"),
                headers[canonicalForm: "WWW-Authenticate"].contains(where: { $0.lowercased().contains("use_dpop_nonce") })
            else { return nil }
            return nonce
        }
    }

    /// The token to send, `nil` for none; throws ``BFFError`` (401, 502, 503, 504) otherwise.
    package func accessToken(for route: Route, request: Request) async throws -> AccessToken? {
        try await resolve(for: route, request: request).token
    }

    /// The token to send with the session it belongs to, after the route's `require` rules held;
    /// throws ``BFFError`` (401, 403, 502, 503, 504) otherwise.
    package func resolve(for route: Route, request: Request) async throws -> Bearer {
        if route.require == nil {
            switch route.token {
            case .none: return Bearer()
            case .client: return Bearer(token: try await clientToken())
            case .user, .optional, .userOrClient: break
            }
        }
        guard let (id, record) = try await controller.currentSession(request) else {
            // No rule can hold without a session.
            if route.require != nil { throw BFFError.notSignedIn }
            switch route.token {
            case .userOrClient: return Bearer(token: try await clientToken())
            case .optional: return Bearer()
            default: throw BFFError.notSignedIn
            }
        }
        switch route.token {
        case .none:
            try authorize(record, for: route, request: request)
            return Bearer()
        case .client:
            try authorize(record, for: route, request: request)
            return Bearer(token: try await clientToken())
        case .user, .optional, .userOrClient:
            let fresh: SessionRecord?
            do {
                fresh = try await tokens.fresh(id, record: record)
            } catch {
                throw BFFError.mapping(error) ?? error
            }
            guard let fresh else { throw BFFError.notSignedIn }
            try authorize(fresh, for: route, request: request)
            guard let audience = route.audience else { return Bearer(token: fresh.accessToken, session: (id.key, fresh), proofKey: fresh.proofKey) }
            let exchanged: AccessToken?
            do {
                exchanged = try await tokens.exchanged(id, record: fresh, audience: audience)
            } catch {
                throw BFFError.mapping(error) ?? error
            }
            guard let exchanged else { throw BFFError.notSignedIn }
            return Bearer(token: exchanged, session: (id.key, fresh), proofKey: fresh.proofKey)
        }
    }

    /// The route's `require` rules against the session: 403 `insufficient_claims` or 401
    /// `step_up_required` with the login that asks the provider for what the route needs.
    private func authorize(_ record: SessionRecord, for route: Route, request: Request) throws {
        guard let rules = route.require else { return }
        switch rules.verdict(claims: record.claims, scopes: record.scopes, now: controller.now()) {
        case .allowed:
            return
        case .insufficient(let rule):
            controller.metrics.authorization(.insufficient)
            logger.info("route refused", metadata: ["gatehouse.event": EventName.authorizationRefused, "gatehouse.route": "\(route.path)", "gatehouse.rule": "\(rule)"])
            throw BFFError.insufficientClaims(rule: rule)
        case .stepUp(let rule):
            controller.metrics.authorization(.stepUp)
            logger.info("route asks for a step-up login", metadata: ["gatehouse.event": EventName.authorizationStepUp, "gatehouse.route": "\(route.path)", "gatehouse.rule": "\(rule)"])
            let parameters = [("returnUrl", Self.returnPath(request, origin: controller.configuration.origin))] + rules.stepUpParameters()
            throw BFFError.stepUpRequired(rule: rule, loginURL: "/bff/login?" + FormURLEncoding.encode(parameters))
        }
    }

    /// Where the browser comes back after a step-up: the page that made the call (its same-origin
    /// `Referer`), since the API path itself is no page; else `/`.
    static func returnPath(_ request: Request, origin: String) -> String {
        guard let referer = request.headers[.referer], referer.hasPrefix(origin + "/"),
            let components = URLComponents(string: referer)
        else { return "/" }
        let path = components.percentEncodedPath + (components.percentEncodedQuery.map { "?" + $0 } ?? "")
        return ReturnURL(sanitizing: path).path
    }

    private func clientToken() async throws -> AccessToken {
        do {
            return try await clientTokens.token()
        } catch {
            throw BFFError.mapping(error) ?? error
        }
    }
}

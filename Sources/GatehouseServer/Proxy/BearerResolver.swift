package import GatehouseOAuth
package import GatehouseSessions
package import Hummingbird

/// Which access token a proxied request carries, by the route's token mode:
/// the session's (refreshed when due), the client's, or none. Shared by the
/// HTTP proxy and WebSocket upgrades.
package struct BearerResolver: Sendable {
    let controller: BFFController
    let tokens: TokenService
    let clientTokens: ClientTokenService

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
    }

    /// The token to send, `nil` for none; throws ``BFFError`` (401, 502, 503, 504) otherwise.
    package func accessToken(for route: Route, request: Request) async throws -> AccessToken? {
        try await resolve(for: route, request: request).token
    }

    /// The token to send with the session it belongs to; throws ``BFFError`` (401, 502, 503, 504).
    package func resolve(for route: Route, request: Request) async throws -> Bearer {
        switch route.token {
        case .none:
            return Bearer()
        case .client:
            return Bearer(token: try await clientToken())
        case .user, .optional, .userOrClient:
            guard let (id, record) = try await controller.currentSession(request) else {
                switch route.token {
                case .user: throw BFFError.notSignedIn
                case .userOrClient: return Bearer(token: try await clientToken())
                default: return Bearer()
                }
            }
            let fresh: SessionRecord?
            do {
                fresh = try await tokens.fresh(id, record: record)
            } catch {
                throw BFFError.mapping(error) ?? error
            }
            guard let fresh else { throw BFFError.notSignedIn }
            return Bearer(token: fresh.accessToken, session: (id.key, fresh))
        }
    }

    private func clientToken() async throws -> AccessToken {
        do {
            return try await clientTokens.token()
        } catch {
            throw BFFError.mapping(error) ?? error
        }
    }
}

package import GatehouseOAuth
import GatehouseSessions
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

    /// The token to send, `nil` for none; throws ``BFFError`` (401, 502, 503, 504) otherwise.
    package func accessToken(for route: Route, request: Request) async throws -> AccessToken? {
        switch route.token {
        case .none:
            return nil
        case .client:
            return try await clientToken()
        case .user, .optional, .userOrClient:
            guard let (id, record) = try await controller.currentSession(request) else {
                switch route.token {
                case .user: throw BFFError.notSignedIn
                case .userOrClient: return try await clientToken()
                default: return nil
                }
            }
            let fresh: SessionRecord?
            do {
                fresh = try await tokens.fresh(id, record: record)
            } catch {
                throw BFFError.mapping(error) ?? error
            }
            guard let fresh else { throw BFFError.notSignedIn }
            return fresh.accessToken
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

import Foundation
import GatehouseOAuth
import GatehouseSessions
import Hummingbird
import Logging

extension BFFController {
    /// `POST /bff/logout`: ends the session, revokes the refresh token when the
    /// provider has a revocation endpoint, clears the cookie and returns the
    /// provider's end-session URL for the SPA to navigate to.
    func logout(_ request: Request, context: GatehouseRequestContext) async throws -> Response {
        var logoutURL = configuration.postLogoutRedirectURI
        if let value = Self.cookie(named: configuration.session.cookieName, in: request.headers), let id = SessionID(cookieValue: value),
            let record = try await storeCall({ try await vault.end(id) })
        {
            let metadata = try? await provider.metadata()
            await revokeRefreshToken(of: record, metadata: metadata, logger: context.logger)
            if let endSession = metadata?.endSessionEndpoint {
                logoutURL = EndSessionRequest.url(
                    endpoint: endSession, idTokenHint: record.idToken, postLogoutRedirectURI: configuration.postLogoutRedirectURI, clientID: configuration.oidc.clientID
                ).absoluteString
            }
            context.logger.info("logout", metadata: ["gatehouse.event": EventName.logout, "gatehouse.session": "\(id.key)"])
        }
        let cleared = expiredCookie(configuration.session.cookieName, sameSite: sameSite)
        return try Self.json(["logout_url": .string(logoutURL)], cookies: [cleared])
    }

    /// Revokes an ended session's refresh token when the provider has a revocation endpoint.
    /// Best effort: the session is gone either way, and a provider outage must not keep the
    /// user signed in here.
    func revokeRefreshToken(of record: SessionRecord, metadata: ProviderMetadata?, logger: Logger) async {
        guard let metadata, let refreshToken = record.refreshToken,
            let revocation = try? tokenRequests(metadata).revocation(of: refreshToken, now: now())
        else { return }
        do {
            _ = try await postToProvider(revocation, proving: record.proofKey)
        } catch {
            logger.warning("refresh token revocation failed", metadata: ["gatehouse.event": EventName.revocationFailed, "gatehouse.error": "\(error)"])
        }
    }
}

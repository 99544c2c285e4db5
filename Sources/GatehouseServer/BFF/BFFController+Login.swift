import Foundation
import GatehouseOAuth
import GatehouseSessions
import Hummingbird

extension BFFController {
    /// `GET /bff/login?returnUrl=/x`: 302 to the provider with a fresh state,
    /// nonce and PKCE verifier kept server-side, bound to this browser.
    func login(_ request: Request, context: GatehouseRequestContext) async throws -> Response {
        let returnURL = ReturnURL(sanitizing: request.uri.queryParameters["returnUrl"].map(String.init))
        let metadata = try await providerCall { try await provider.metadata() }
        let authorization = AuthorizationRequest(
            endpoint: metadata.authorizationEndpoint,
            clientID: configuration.oidc.clientID,
            redirectURI: configuration.redirectURI.absoluteString,
            scopes: configuration.oidc.scopes,
            extraParameters: configuration.oidc.extraAuthorizationParameters,
            random: RandomSourceBox(base: random)
        )
        // One binding per browser, reused across parallel logins, so a second
        // tab does not invalidate the first tab's pending login.
        let existing = Self.cookie(named: configuration.loginCookieName, in: request.headers)
        let binding = existing.flatMap { SessionID(cookieValue: $0) != nil ? $0 : nil } ?? random.base64URLToken(byteCount: 32)
        let state = LoginState(request: authorization, returnURL: returnURL, loginCookie: binding, now: now())
        try await storeCall { try await vault.putLoginState(state, handle: authorization.state) }
        context.logger.info("login started", metadata: ["gatehouse.event": EventName.loginStart])
        let loginCookie = Cookie(
            name: configuration.loginCookieName, value: binding, maxAge: Int(configuration.sessionTimeouts.login.components.seconds), path: "/",
            secure: configuration.isHTTPS, httpOnly: true, sameSite: .lax
        )
        return Self.redirect(to: authorization.url.absoluteString, cookies: [loginCookie])
    }
}

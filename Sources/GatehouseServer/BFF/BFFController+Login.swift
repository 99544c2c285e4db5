import Foundation
import GatehouseOAuth
import GatehouseSessions
import Hummingbird
import Logging

extension BFFController {
    /// `GET /bff/login?returnUrl=/x[&prompt=none|login|consent|select_account][&acr_values=…][&max_age=…]`: 302 to the
    /// provider with a fresh state, nonce and PKCE verifier kept server-side, bound to this browser.
    func login(_ request: Request, context: GatehouseRequestContext) async throws -> Response {
        let returnURL = ReturnURL(sanitizing: request.uri.queryParameters["returnUrl"].map(String.init))
        var prompt: Prompt?
        if let asked = request.uri.queryParameters["prompt"] {
            guard let known = Prompt(rawValue: String(asked)) else {
                throw BFFError.invalidRequest("prompt must be one of \(Prompt.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            prompt = known
        }
        let metadata = try await providerCall { try await provider.metadata() }
        var extraParameters = configuration.oidc.extraAuthorizationParameters
        if let prompt { extraParameters["prompt"] = prompt.rawValue }
        // Only what a route's step-up rules ask for is passed on: this endpoint is anonymous, and
        // a link must not make the provider demand arbitrary authentication levels.
        let routes = context.routes?.routes ?? configuration.routes
        if let asked = request.uri.queryParameters["acr_values"].map(String.init),
            routes.contains(where: { $0.require?.acr.joined(separator: " ") == asked })
        {
            extraParameters["acr_values"] = asked
        }
        if let asked = request.uri.queryParameters["max_age"].map(String.init),
            routes.contains(where: { $0.require?.maxAge.map { String($0.components.seconds) } == asked })
        {
            extraParameters["max_age"] = asked
        }
        let authorization = AuthorizationRequest(
            endpoint: metadata.authorizationEndpoint,
            clientID: configuration.oidc.clientID,
            redirectURI: configuration.redirectURI.absoluteString,
            scopes: configuration.oidc.scopes,
            extraParameters: extraParameters,
            random: RandomSourceBox(base: random)
        )
        let destination = try await pushedIfDue(authorization, metadata: metadata, logger: context.logger) ?? authorization.url
        // One binding per browser, reused across parallel logins, so a second
        // tab does not invalidate the first tab's pending login.
        let existing = Self.cookie(named: configuration.loginCookieName, in: request.headers)
        let binding = existing.flatMap { SessionID(cookieValue: $0) != nil ? $0 : nil } ?? random.base64URLToken(byteCount: 32)
        let state = LoginState(request: authorization, returnURL: returnURL, loginCookie: binding, now: now(), prompt: prompt)
        try await storeCall { try await vault.putLoginState(state, handle: authorization.state) }
        context.logger.info("login started", metadata: ["gatehouse.event": EventName.loginStart])
        let loginCookie = Cookie(
            name: configuration.loginCookieName, value: binding, maxAge: Int(configuration.sessionTimeouts.login.components.seconds), path: "/",
            secure: configuration.isHTTPS, httpOnly: true, sameSite: .lax
        )
        return Self.redirect(to: destination.absoluteString, cookies: [loginCookie])
    }

    /// With `oidc.par` and a provider that has the endpoint, the request goes to the provider over
    /// the back channel, client-authenticated (RFC 9126), and the browser's URL carries only
    /// `client_id` and the `request_uri`; `nil` when the request goes in the browser's URL.
    private func pushedIfDue(_ authorization: AuthorizationRequest, metadata: ProviderMetadata, logger: Logger) async throws -> URL? {
        guard let endpoint = configuration.oidc.pushedAuthorization.endpoint(for: metadata) else { return nil }
        let request: FormPostRequest
        do {
            request = try tokenRequests(metadata).pushedAuthorization(authorization, to: endpoint, now: now())
        } catch {
            throw BFFError.loginFailed("client authentication could not be prepared")
        }
        let answer = try await providerCall { try await transport.post(request, timeout: configuration.timings.providerCall) }
        do {
            let pushed = try PushedAuthorizationResponse(status: answer.status, body: answer.body, now: now())
            return authorization.pushedURL(requestURI: pushed.requestURI)
        } catch {
            logger.warning("pushed authorization request refused", metadata: ["gatehouse.event": EventName.loginPushRefused, "gatehouse.error": "\(error)"])
            if let refusal = error.oauthError { throw BFFError.pushRefused(refusal) }
            throw BFFError.providerFailed
        }
    }
}

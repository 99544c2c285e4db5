import Foundation
import GatehouseOAuth
import GatehouseSessions
import Hummingbird

extension BFFController {
    /// `GET /bff/callback?code&state[&iss]`: checks the state (known, unused,
    /// unexpired, this browser's), the `iss` parameter, exchanges the code with
    /// PKCE, validates the ID token and creates a NEW session.
    func callback(_ request: Request, context: GatehouseRequestContext) async throws -> Response {
        let parameters = request.uri.queryParameters.map { (name: String($0.key), value: String($0.value)) }
        let authorizationResponse: AuthorizationResponse
        do {
            authorizationResponse = try AuthorizationResponse(parameters: parameters)
        } catch {
            throw BFFError.invalidState
        }
        guard let binding = Self.cookie(named: configuration.loginCookieName, in: request.headers) else {
            // Take the state anyway: a state seen once is spent.
            _ = try? await vault.takeLoginState(handle: authorizationResponse.state, now: now())
            throw BFFError.otherBrowser
        }
        guard let loginState = try await storeCall({ try await vault.takeLoginState(handle: authorizationResponse.state, now: now()) }) else {
            context.logger.notice("callback with unknown, expired or replayed state", metadata: ["gatehouse.event": EventName.loginInvalidState])
            throw BFFError.invalidState
        }
        guard loginState.isBound(to: binding) else {
            context.logger.notice("callback state from another browser", metadata: ["gatehouse.event": EventName.loginOtherBrowser])
            throw BFFError.otherBrowser
        }
        let metadata = try await providerCall { try await provider.metadata() }
        do {
            try authorizationResponse.checkIssuer(expected: metadata.issuer, required: metadata.authorizationResponseIssParameterSupported)
        } catch {
            context.logger.warning("callback iss mismatch", metadata: ["gatehouse.event": EventName.loginIssMismatch])
            throw BFFError.loginFailed("the answer did not come from the configured identity provider")
        }
        let code: AuthorizationCode
        switch authorizationResponse.outcome {
        case .code(let value):
            code = value
        case .error(let error, _) where loginState.prompt == Prompt.none && Prompt.isInteractionNeeded(error):
            // A silent sign-in the provider cannot do without the user: back to the SPA, signed out.
            context.logger.info("silent sign-in needs the user", metadata: ["gatehouse.event": EventName.loginSilentRefused, "gatehouse.oauth_error": "\(error)"])
            return Self.redirect(to: Self.appendingQuery("error=login_required", to: loginState.returnURL), cookies: [])
        case .error(.invalidRequestURI, _):
            // The pushed request was forgotten (its expires_in ran out) before the browser got there.
            context.logger.info("provider refused login", metadata: ["gatehouse.event": EventName.loginRefused, "gatehouse.oauth_error": "invalid_request_uri"])
            throw BFFError.loginFailed("the sign-in request expired at the identity provider before the browser got there")
        case .error(let error, _):
            context.logger.info("provider refused login", metadata: ["gatehouse.event": EventName.loginRefused, "gatehouse.oauth_error": "\(error)"])
            throw BFFError.loginFailed("the identity provider answered \(error.rawValue)")
        }

        let tokenRequest: FormPostRequest
        do {
            tokenRequest = try tokenRequests(metadata).authorizationCode(code, verifier: loginState.codeVerifier, redirectURI: configuration.redirectURI.absoluteString, now: now())
        } catch {
            throw BFFError.loginFailed("client authentication could not be prepared")
        }
        // oidc.dpop: this session's key, made now; the tokens the code gives are bound to it.
        let dpopKey = configuration.oidc.dpop ? DPoPKey() : nil
        let answer = try await providerCall { try await postToProvider(tokenRequest, proving: dpopKey) }
        let tokens: TokenResponse
        do {
            tokens = try TokenResponse(status: answer.status, body: answer.body, now: now(), tokenType: dpopKey == nil ? "Bearer" : "DPoP")
        } catch {
            context.logger.warning("code exchange failed", metadata: ["gatehouse.event": EventName.loginExchangeFailed, "gatehouse.error": "\(error)"])
            if error.oauthError != nil { throw BFFError.loginFailed("the identity provider refused the code") }
            if error == .unsupportedTokenType {
                throw BFFError.loginFailed(dpopKey == nil ? "the identity provider sent a token type Gatehouse does not use" : "the identity provider did not bind the tokens to a DPoP key (oidc.dpop is on)")
            }
            throw BFFError.providerFailed
        }
        guard let idToken = tokens.idToken else {
            throw BFFError.loginFailed("the identity provider sent no ID token")
        }
        let claims: IDTokenClaims
        do {
            claims = try await provider.validate(idToken, purpose: .login(nonce: loginState.nonce), now: now())
        } catch let error as JWTValidationError {
            context.logger.warning("ID token rejected", metadata: ["gatehouse.event": EventName.loginIdTokenRejected, "gatehouse.error": "\(error)"])
            throw BFFError.loginFailed("the ID token did not validate")
        }

        var record = SessionRecord(login: claims, idToken: idToken, tokens: tokens, scopes: configuration.oidc.scopes, now: now(), absoluteTimeout: configuration.sessionTimeouts.absolute)
        record.dpopKey = dpopKey?.rawRepresentation
        // For the sessions list: which device, from where.
        record.userAgent = request.headers[.userAgent].map { String($0.prefix(SessionRecord.maximumUserAgentLength)) }
        record.clientIP = ForwardedHeaders.clientAddress(
            peer: context.remoteAddress.flatMap(IPAddress.init), incoming: request.headers, trusted: configuration.trustedProxies
        )?.description
        // A session cookie held before login is never reused: end it, make a new id.
        if let previous = Self.cookie(named: configuration.session.cookieName, in: request.headers), let previousID = SessionID(cookieValue: previous) {
            _ = try? await vault.end(previousID)
        }
        guard let id = try await storeCall({ try await vault.create(record, now: now()) }) else {
            throw BFFError.loginFailed("the session expired at once")
        }
        context.logger.info("login completed", metadata: ["gatehouse.event": EventName.loginOk, "gatehouse.session": "\(id.key)"])
        if configuration.session.maxPerUser > 0 {
            // session.max_per_user: this login ends the user's oldest sessions beyond the limit.
            let ended = (try? await vault.endOldest(subject: record.subject, keeping: configuration.session.maxPerUser, now: now())) ?? []
            for old in ended { await revokeRefreshToken(of: old, metadata: metadata, logger: context.logger) }
            if !ended.isEmpty {
                context.logger.info("oldest sessions ended", metadata: ["gatehouse.event": EventName.loginSessionsLimited, "gatehouse.sessions_ended": "\(ended.count)"])
            }
        }
        return Self.redirect(to: loginState.returnURL, cookies: [sessionCookie(id)])
    }
}

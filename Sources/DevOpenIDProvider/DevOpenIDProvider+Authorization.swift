import Foundation

extension DevOpenIDProvider {
    static let supportedScopes: Set<String> = ["openid", "profile", "email", "offline_access", "orders.read", "orders.write"]
    /// The `acr` of a password login.
    package static let passwordACR = "urn:gatehouse:dev:pwd"
    /// The `acr` of a login with the second-factor step, which `acr_values` naming it asks for.
    package static let multiFactorACR = "urn:gatehouse:dev:mfa"
    /// The provider's login-session cookie, which `prompt=none` reuses.
    static let sessionCookieName = "gatehouse_dev_op_session"

    /// Validates `GET /authorize` (or the pushed request its `request_uri` names) and parks the
    /// request behind the login page.
    func beginAuthorization(_ query: FormParameters, sessionCookie: String? = nil, now: Date = Date()) -> BrowserStep {
        var parameters = query
        let pushed = query["request_uri"] != nil
        if pushed {
            switch redeemPushedRequest(query, now: now) {
            case .success(let stored): parameters = stored
            case .failure(let refusal): return refusal.step(self)
            }
        }
        let request: AuthorizationRequest
        switch checkedAuthorization(parameters, now: now) {
        case .success(let checked): request = checked
        case .failure(let refusal): return refusal.step(self)
        }
        if !pushed && configuration.pushedAuthorization == .required {
            let refusal = AuthorizationRefusal.redirect(
                .invalidRequest("This provider accepts only pushed authorization requests (RFC 9126)."), redirectURI: request.redirectURI, state: request.state
            )
            return refusal.step(self)
        }
        purgeExpiredIfDue(now: now)
        if let prompt = parameters["prompt"], prompt.split(separator: " ").contains("none") {
            // Silent: only a login session of this browser that satisfies acr_values and max_age will do.
            guard let sid = sessionCookie, let session = sessions[sid], Self.satisfies(session, request, now: now) else {
                return AuthorizationRefusal.redirect(.loginRequired("The user must log in."), redirectURI: request.redirectURI, state: request.state).step(self)
            }
            sessions[sid]?.clientIDs.insert(request.clientID)
            return issueCode(request, subject: session.subject, sessionID: sid, authTime: session.authTime, acr: session.acr, now: now)
        }
        // Every other request shows the login page, so tests and demos see each step.
        let requestID = RandomToken.make()
        pendingAuthorizations[requestID] = request
        return .login(loginPage(requestID: requestID, clientID: request.clientID, error: nil))
    }

    /// Why an authorization request is refused: shown on a page when the client or redirect URI
    /// cannot be trusted (RFC 6749 §4.1.2.1), else sent back to the redirect URI.
    enum AuthorizationRefusal: Error {
        case page(String)
        case redirect(OAuthError, redirectURI: String, state: String?)

        func step(_ provider: isolated DevOpenIDProvider) -> BrowserStep {
            switch self {
            case .page(let message): .errorPage(message)
            case .redirect(let error, let redirectURI, let state): .redirect(provider.authorizationResponseURL(redirectURI, error: error, state: state))
            }
        }

        /// The same refusal as a back-channel answer (`/par` has no browser to redirect).
        var oauthError: OAuthError {
            switch self {
            case .page(let message): .invalidRequest(message)
            case .redirect(let error, _, _): error
            }
        }
    }

    /// The checks every authorization request passes, whether it came in the browser's URL or was pushed.
    func checkedAuthorization(_ parameters: FormParameters, now: Date) -> Result<AuthorizationRequest, AuthorizationRefusal> {
        if !parameters.duplicatedNames.isDisjoint(with: ["client_id", "redirect_uri"]) {
            return .failure(.page("The request repeats client_id or redirect_uri."))
        }
        guard let clientID = parameters["client_id"] else { return .failure(.page("The request has no client_id.")) }
        guard let client = registeredClient(clientID) else { return .failure(.page("Unknown client_id.")) }
        guard let redirectURI = parameters["redirect_uri"] else { return .failure(.page("The request has no redirect_uri.")) }
        guard client.redirectURIs.contains(redirectURI) else {
            return .failure(.page("The redirect_uri is not registered for this client."))
        }
        let state = parameters["state"]
        func fail(_ error: OAuthError) -> Result<AuthorizationRequest, AuthorizationRefusal> {
            .failure(.redirect(error, redirectURI: redirectURI, state: state))
        }
        if let duplicate = parameters.duplicatedNames.sorted().first {
            return fail(.invalidRequest("Parameter \(duplicate) appears more than once."))
        }
        guard let responseType = parameters["response_type"] else { return fail(.invalidRequest("response_type is missing.")) }
        guard responseType == "code" else { return fail(.unsupportedResponseType("Only response_type=code is supported.")) }
        guard let challenge = parameters["code_challenge"] else {
            return fail(.invalidRequest("PKCE is required: code_challenge is missing."))
        }
        guard parameters["code_challenge_method"] == "S256" else {
            return fail(.invalidRequest("code_challenge_method must be S256."))
        }
        guard challenge.count == 43, challenge.allSatisfy(\.isBase64URLCharacter) else {
            return fail(.invalidRequest("code_challenge is not a base64url SHA-256 value."))
        }
        for name in ["state", "nonce"] where (parameters[name]?.utf8.count ?? 0) > 1024 {
            return fail(.invalidRequest("\(name) is longer than 1024 bytes."))
        }
        let scopes = (parameters["scope"] ?? "openid").split(separator: " ").map(String.init)
        guard !scopes.isEmpty, Set(scopes).isSubset(of: Self.supportedScopes) else {
            return fail(.invalidScope("Supported scopes: \(Self.supportedScopes.sorted().joined(separator: " "))."))
        }
        var maxAge: Int?
        if let text = parameters["max_age"] {
            guard let seconds = Int(text), seconds >= 0 else { return fail(.invalidRequest("max_age must be a whole number of seconds.")) }
            maxAge = seconds
        }
        return .success(AuthorizationRequest(
            clientID: clientID,
            redirectURI: redirectURI,
            state: state,
            nonce: parameters["nonce"],
            scopes: scopes,
            codeChallenge: challenge,
            acrValues: (parameters["acr_values"] ?? "").split(separator: " ").map(String.init),
            maxAge: maxAge,
            expiresAt: now.addingTimeInterval(600)
        ))
    }

    /// Whether a login session meets the request's `acr_values` (any of them) and `max_age`.
    private static func satisfies(_ session: LoginSession, _ request: AuthorizationRequest, now: Date) -> Bool {
        if !request.acrValues.isEmpty, !request.acrValues.contains(session.acr) { return false }
        if let maxAge = request.maxAge, now.timeIntervalSince(session.authTime) > Double(maxAge) { return false }
        return true
    }

    /// Handles the login form: `action` is `login` or `deny`.
    func completeAuthorization(_ form: FormParameters, now: Date = Date()) -> BrowserStep {
        guard let requestID = form["request_id"], let request = pendingAuthorizations[requestID], request.expiresAt > now else {
            return .errorPage("This login page has expired or was already used. Start again from the application.")
        }
        if form["action"] == "deny" {
            pendingAuthorizations[requestID] = nil
            let error = OAuthError.accessDenied("The user denied the request.")
            return .redirect(authorizationResponseURL(request.redirectURI, error: error, state: request.state))
        }
        let user: User
        var acr = Self.passwordACR
        if let subject = request.passwordSubject, let known = self.user(subject: subject) {
            // The second step: the password was right; now the one-time code.
            guard form["otp"] == known.oneTimeCode else {
                return .secondFactor(SecondFactorPage(requestID: requestID, code: known.oneTimeCode, error: "Wrong code."))
            }
            (user, acr) = (known, Self.multiFactorACR)
        } else {
            guard let known = configuration.users.first(where: { $0.username == form["username"] }), known.password == form["password"] else {
                return .login(loginPage(requestID: requestID, clientID: request.clientID, error: "Wrong username or password."))
            }
            if request.acrValues.first(where: { [Self.passwordACR, Self.multiFactorACR].contains($0) }) == Self.multiFactorACR {
                pendingAuthorizations[requestID]?.passwordSubject = known.subject
                return .secondFactor(SecondFactorPage(requestID: requestID, code: known.oneTimeCode, error: nil))
            }
            user = known
        }
        pendingAuthorizations[requestID] = nil
        let sessionID = RandomToken.make(byteCount: 16)
        sessions[sessionID] = LoginSession(subject: user.subject, authTime: now, acr: acr, clientIDs: [request.clientID])
        guard case .redirect(let location) = issueCode(request, subject: user.subject, sessionID: sessionID, authTime: now, acr: acr, now: now) else {
            return .errorPage("Could not issue a code.")
        }
        return .signedIn(redirect: location, session: sessionID)
    }

    /// Issues a code for an authenticated user and redirects back to the client with it.
    private func issueCode(_ request: AuthorizationRequest, subject: String, sessionID: String, authTime: Date, acr: String, now: Date) -> BrowserStep {
        let code = RandomToken.make()
        codes[code] = AuthorizationCode(
            clientID: request.clientID,
            redirectURI: request.redirectURI,
            codeChallenge: request.codeChallenge,
            nonce: request.nonce,
            scopes: request.scopes,
            subject: subject,
            sessionID: sessionID,
            authTime: authTime,
            acr: acr,
            expiresAt: now.addingTimeInterval(lifetimes.authorizationCode.timeInterval)
        )
        var parameters = [("code", code)]
        if let state = request.state { parameters.append(("state", state)) }
        if configuration.includesIssuerInAuthorizationResponse { parameters.append(("iss", issuer)) }
        return .redirect(Self.appendingQuery(parameters, to: request.redirectURI))
    }

    private func loginPage(requestID: String, clientID: String, error: String?) -> LoginPage {
        LoginPage(
            requestID: requestID,
            clientID: clientID,
            users: configuration.users.map { ($0.username, $0.password) },
            error: error
        )
    }

    func authorizationResponseURL(_ redirectURI: String, error: OAuthError, state: String?) -> String {
        var parameters = [("error", error.code.rawValue), ("error_description", error.message)]
        if let state { parameters.append(("state", state)) }
        if configuration.includesIssuerInAuthorizationResponse { parameters.append(("iss", issuer)) }
        return Self.appendingQuery(parameters, to: redirectURI)
    }

    static func appendingQuery(_ parameters: [(String, String)], to uri: String) -> String {
        uri + (uri.contains("?") ? "&" : "?") + FormParameters.encode(parameters)
    }
}

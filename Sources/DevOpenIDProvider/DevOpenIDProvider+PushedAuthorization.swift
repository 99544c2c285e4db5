import Foundation

extension DevOpenIDProvider {
    /// How the provider treats RFC 9126 pushed authorization requests.
    package enum PushedAuthorizationSupport: String, Sendable, Hashable, CaseIterable {
        /// No `/par`; discovery names no endpoint.
        case off
        /// `/par` is served and named in discovery; plain authorization requests still work.
        case offered
        /// Only pushed requests are accepted; discovery says `require_pushed_authorization_requests`.
        case required
    }

    /// The `request_uri` prefix RFC 9126 §2.2 suggests.
    static let requestURIPrefix = "urn:ietf:params:oauth:request_uri:"

    /// `POST /par`: a client-authenticated authorization request, checked like one at `/authorize`,
    /// kept under a single-use `request_uri` for ``Lifetimes/pushedRequest``.
    func pushAuthorization(_ form: FormParameters, authorization: String?, now: Date = Date()) throws(OAuthError) -> PushedAuthorizationAnswer {
        grantCounts.pushedAuthorization += 1
        let client = try authenticateClient(form, authorization: authorization, audiences: [issuer + "/par", tokenEndpoint, issuer], now: now)
        // RFC 9126 §2.1: a pushed request cannot itself refer to another one.
        guard form["request_uri"] == nil else { throw .invalidRequest("request_uri cannot be pushed.") }
        // With Basic authentication client_id may be left out of the body; the request needs it.
        let parameters = form["client_id"] == nil ? form.adding("client_id", client.id) : form
        let request: AuthorizationRequest
        switch checkedAuthorization(parameters, now: now) {
        case .success(let checked): request = checked
        case .failure(let refusal): throw refusal.oauthError
        }
        guard request.clientID == client.id else { throw .invalidRequest("client_id does not match the authenticated client.") }
        purgeExpiredIfDue(now: now)
        let requestURI = Self.requestURIPrefix + RandomToken.make()
        pushedRequests[requestURI] = PushedRequest(
            clientID: client.id, parameters: parameters, redirectURI: request.redirectURI, state: request.state,
            expiresAt: now.addingTimeInterval(lifetimes.pushedRequest.timeInterval)
        )
        return PushedAuthorizationAnswer(request_uri: requestURI, expires_in: max(1, Int(lifetimes.pushedRequest.timeInterval.rounded())))
    }

    /// The parameters a `request_uri` stands for, taken once. Unknown or used ones are shown on a
    /// page (there is no trusted redirect URI for them); expired ones go back as `invalid_request_uri`.
    func redeemPushedRequest(_ query: FormParameters, now: Date) -> Result<FormParameters, AuthorizationRefusal> {
        guard configuration.pushedAuthorization != .off else { return .failure(.page("This provider does not take pushed authorization requests.")) }
        guard let requestURI = query["request_uri"], let pushed = pushedRequests[requestURI] else {
            return .failure(.page("This sign-in request is unknown or was already used. Start again from the application."))
        }
        guard query["client_id"] == pushed.clientID else { return .failure(.page("The request_uri belongs to another client.")) }
        pushedRequests[requestURI] = nil
        guard pushed.expiresAt > now else {
            return .failure(.redirect(.invalidRequestURI("The pushed authorization request expired."), redirectURI: pushed.redirectURI, state: pushed.state))
        }
        return .success(pushed.parameters)
    }
}

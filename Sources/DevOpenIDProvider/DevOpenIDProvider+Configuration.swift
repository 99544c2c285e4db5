extension DevOpenIDProvider {
    /// Everything the provider is started with. Lifetimes and clients can also be changed at run time.
    package struct Configuration: Sendable {
        /// The issuer, exactly as it appears in discovery and in the `iss` claim (no trailing slash).
        ///
        /// `nil` means "`http://<host>:<bound port>`", filled in once the server is listening:
        /// this is what makes port 0 work in tests.
        package var issuer: String?
        /// Registered clients.
        package var clients: [Client]
        /// Users who can log in. The login page shows their credentials: this is a development tool.
        package var users: [User]
        /// Token, code and ID-token lifetimes.
        package var lifetimes: Lifetimes
        /// Whether authorization responses carry `iss` (RFC 9207) and discovery says so.
        package var includesIssuerInAuthorizationResponse: Bool
        /// Whether discovery names a `revocation_endpoint`.
        package var advertisesRevocation: Bool
        /// Whether discovery names an `end_session_endpoint`.
        package var advertisesEndSession: Bool
        /// Whether the `/_dev/…` knob endpoints are served.
        package var servesTestEndpoints: Bool
        /// Whether RP-initiated logout also sends back-channel logout tokens to the session's clients.
        package var sendsBackchannelLogoutOnEndSession: Bool
        /// The audiences a token exchange may ask for; `nil` allows any, others are `invalid_target`.
        package var tokenExchangeAudiences: Set<String>?
        /// RFC 9126 pushed authorization requests: `offered` names the endpoint in discovery,
        /// `required` also refuses authorization requests that were not pushed.
        package var pushedAuthorization: PushedAuthorizationSupport

        /// Creates a configuration; the defaults register the demo client and the demo user.
        package init(
            issuer: String? = nil,
            clients: [Client] = [.demo],
            users: [User] = [.demo],
            lifetimes: Lifetimes = Lifetimes(),
            includesIssuerInAuthorizationResponse: Bool = true,
            advertisesRevocation: Bool = true,
            advertisesEndSession: Bool = true,
            servesTestEndpoints: Bool = true,
            sendsBackchannelLogoutOnEndSession: Bool = false,
            tokenExchangeAudiences: Set<String>? = nil,
            pushedAuthorization: PushedAuthorizationSupport = .off
        ) {
            self.issuer = issuer.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
            self.clients = clients
            self.users = users
            self.lifetimes = lifetimes
            self.includesIssuerInAuthorizationResponse = includesIssuerInAuthorizationResponse
            self.advertisesRevocation = advertisesRevocation
            self.advertisesEndSession = advertisesEndSession
            self.servesTestEndpoints = servesTestEndpoints
            self.sendsBackchannelLogoutOnEndSession = sendsBackchannelLogoutOnEndSession
            self.tokenExchangeAudiences = tokenExchangeAudiences
            self.pushedAuthorization = pushedAuthorization
        }
    }
}

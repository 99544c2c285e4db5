import Foundation

/// A development OpenID Connect provider: discovery, JWKS, a login page, the token endpoint
/// (code + PKCE, refresh with rotation and reuse detection, client credentials), userinfo,
/// revocation, end-session and a back-channel logout sender, plus knobs for tests.
///
/// Development only: it shows its users' passwords on the login page and keeps everything in memory.
///
/// ```swift
/// let provider = try DevOpenIDProvider(configuration: .init())   // issuer nil: from the bound port
/// let app = provider.makeApplication(host: "127.0.0.1", port: 0) { issuer in print(issuer) }
/// try await app.runService()
/// ```
package actor DevOpenIDProvider {
    /// The configuration the provider started with (clients and lifetimes may have changed since).
    package nonisolated let configuration: Configuration

    var boundIssuer: String?
    var clients: [String: Client]
    var lifetimes: Lifetimes
    /// Published keys, newest (the one that signs) first.
    var signingKeys: [SigningKey]
    var foreignKey: SigningKey?

    var pendingAuthorizations: [String: AuthorizationRequest] = [:]
    /// Pushed requests by `request_uri`, single use; kept past expiry until the purge, so a late
    /// browser gets `invalid_request_uri` at its redirect URI rather than an error page.
    var pushedRequests: [String: PushedRequest] = [:]
    var codes: [String: AuthorizationCode] = [:]
    var accessTokens: [String: AccessTokenRecord] = [:]
    var refreshTokens: [String: RefreshTokenRecord] = [:]
    var families: [String: RefreshFamily] = [:]
    var sessions: [String: LoginSession] = [:]
    /// `client_id + " " + jti` of accepted client assertions, until their `exp`.
    var usedAssertionIDs: [String: Date] = [:]
    /// `jti`s of accepted DPoP proofs, until they could no longer pass the `iat` window.
    var usedDPoPProofIDs: [String: Date] = [:]
    /// The nonce DPoP proofs must carry (`DPoP-Nonce`), or `nil` when none is asked for.
    var dpopNonce: String?

    var grantCounts = GrantCounts()
    var tokenLatency: Duration = .zero
    var tokenAnswerDelay: Duration = .zero
    var forcedTokenResponses: [ForcedTokenResponse] = []
    var idTokenOverrides: IDTokenOverrides?
    private var lastPurge = Date()

    /// Creates the provider and its first signing key.
    package init(configuration: Configuration = Configuration()) throws {
        self.configuration = configuration
        self.clients = Dictionary(configuration.clients.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last })
        self.lifetimes = configuration.lifetimes
        self.signingKeys = [try SigningKey()]
    }

    /// The issuer: the configured one, else `http://host:port` of the running server.
    package var issuer: String {
        configuration.issuer ?? boundIssuer ?? "http://127.0.0.1"
    }

    /// Records where the server listens, so an issuer left `nil` in the configuration becomes right.
    /// `makeApplication` calls this; call it yourself only when you run the routes some other way.
    package func serverDidStart(host: String, port: Int) {
        let printableHost = host.contains(":") ? "[\(host)]" : host
        boundIssuer = "http://\(printableHost):\(port)"
    }

    var tokenEndpoint: String { issuer + "/token" }

    func registeredClient(_ id: String?) -> Client? {
        id.flatMap { clients[$0] }
    }

    func user(subject: String) -> User? {
        configuration.users.first { $0.subject == subject }
    }

    /// Drops expired codes, tokens and assertion ids now and then, so a long benchmark does not grow memory.
    func purgeExpiredIfDue(now: Date) {
        guard now.timeIntervalSince(lastPurge) > 30 else { return }
        lastPurge = now
        pendingAuthorizations = pendingAuthorizations.filter { $0.value.expiresAt > now }
        pushedRequests = pushedRequests.filter { $0.value.expiresAt > now.addingTimeInterval(-600) }
        // Redeemed codes are kept a little past expiry only to detect reuse; after that they are noise.
        codes = codes.filter { $0.value.expiresAt > now.addingTimeInterval(-600) }
        accessTokens = accessTokens.filter { $0.value.expiresAt > now }
        refreshTokens = refreshTokens.filter { $0.value.expiresAt > now }
        usedAssertionIDs = usedAssertionIDs.filter { $0.value > now }
        usedDPoPProofIDs = usedDPoPProofIDs.filter { $0.value > now }
    }
}

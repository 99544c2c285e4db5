package import Foundation
package import GatehouseOAuth
package import Logging
package import ServiceLifecycle

/// The provider as Gatehouse knows it: discovery metadata and signing keys,
/// fetched at start and kept fresh, and the validators that need them.
///
/// An ID token whose `kid` is unknown triggers at most one JWKS refetch per
/// interval (`JWKSRefetchPolicy`), so a caller spraying kids cannot hammer the provider.
package actor OIDCProvider: Service {
    /// What Gatehouse expects of its provider.
    package struct Settings: Sendable {
        package var issuer: String
        package var clientID: String
        /// How this client authenticates at the token and revocation endpoints.
        package var authentication: ClientAuthentication
        /// Limit for each call to the provider.
        package var timeout: Duration
        /// How often metadata and keys are refreshed in the background.
        package var refreshInterval: Duration
        /// How soon a failed load is retried.
        package var retryInterval: Duration
        /// The `acr` values routes require (`routes[].require.acr`): a warning when discovery does not list them.
        package var requiredACRValues: Set<String> = []
        /// `oidc.par`: a discovery document this mode cannot work with stops the first load.
        package var pushedAuthorization: PushedAuthorizationMode = .auto

        package init(
            issuer: String, clientID: String, authentication: ClientAuthentication, timeout: Duration = ProtocolTimings().providerCall,
            refreshInterval: Duration = .seconds(600), retryInterval: Duration = .seconds(2)
        ) {
            self.issuer = issuer
            self.clientID = clientID
            self.authentication = authentication
            self.timeout = timeout
            self.refreshInterval = refreshInterval
            self.retryInterval = retryInterval
        }
    }

    package nonisolated let settings: Settings
    /// The provider's latest `DPoP-Nonce`, for every proof sent to it.
    package nonisolated let dpopNonces = DPoPNonces()
    private let transport: any OAuthTransport
    private let logger: Logger
    private var loaded: (metadata: ProviderMetadata, keys: JWKSet)?
    private var lastFailure: String?
    /// Set while the latest discovery document does not fit the configuration.
    private var mismatch: ProviderMismatch?
    private var refetchPolicy = JWKSRefetchPolicy()

    package init(settings: Settings, transport: any OAuthTransport, logger: Logger) {
        self.settings = settings
        self.transport = transport
        self.logger = logger
    }

    /// Token-endpoint and revocation requests for this client at the provider of `metadata`.
    package nonisolated func tokenRequests(_ metadata: ProviderMetadata, random: any RandomSource) -> TokenRequestBuilder {
        TokenRequestBuilder(
            clientID: settings.clientID, authentication: settings.authentication,
            tokenEndpoint: metadata.tokenEndpoint, revocationEndpoint: metadata.revocationEndpoint, random: random
        )
    }

    /// Loads now, then refreshes in the background until shutdown.
    ///
    /// - Throws: ``ProviderMismatch`` when the first discovery document that loads does not fit
    ///   the configuration: start-up fails with the reason instead of every login failing later.
    package func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            // A load that hangs or retries (a provider down at start) must not hold up SIGTERM
            // for the call's whole timeout: shutdown cancels it.
            let ok = (try? await cancelWhenGracefulShutdown { await self.refresh() }) ?? false
            guard !Task.isShuttingDownGracefully else { return }
            if loaded == nil, let mismatch {
                logger.error("\(mismatch)", metadata: ["gatehouse.event": EventName.providerMismatch])
                throw mismatch
            }
            let pause = ok ? settings.refreshInterval : settings.retryInterval
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: pause) }
        }
    }

    /// Fetches discovery and JWKS; keeps the old copy when the fetch fails.
    @discardableResult
    package func refresh(now: Date = Date()) async -> Bool {
        do {
            let metadata = try await fetchMetadata()
            // A document that stopped fitting later keeps the last one that did (and logs why).
            if let reason = settings.pushedAuthorization.mismatch(with: metadata) { throw ProviderMismatch(reason) }
            mismatch = nil
            let keys = try await fetchKeys(metadata)
            if loaded == nil { warnAboutACR(metadata) }
            loaded = (metadata, keys)
            refetchPolicy.didFetch(at: now)
            lastFailure = nil
            return true
        } catch {
            mismatch = error as? ProviderMismatch
            lastFailure = String(describing: error)
            // Cancelled by shutdown: nothing failed that an operator should look at.
            if !Task.isCancelled { logger.warning("provider metadata load failed", metadata: ["gatehouse.error": "\(error)"]) }
            return false
        }
    }

    /// A route's step-up can only work when the provider knows its `acr` values; said once, at the first load.
    private func warnAboutACR(_ metadata: ProviderMetadata) {
        guard !settings.requiredACRValues.isEmpty else { return }
        let missing = settings.requiredACRValues.subtracting(metadata.acrValuesSupported ?? [])
        guard !missing.isEmpty else { return }
        let listed = metadata.acrValuesSupported == nil ? "lists no acr_values_supported" : "does not list \(missing.sorted().joined(separator: ", "))"
        logger.warning("routes require acr values the provider's discovery \(listed); step-up logins may not satisfy them", metadata: ["gatehouse.event": EventName.authorizationAcrUnsupported])
    }

    /// Why the provider is not usable, or `nil` when it is (for `/readyz`).
    package func notReadyReason() -> String? {
        loaded == nil ? (lastFailure ?? "provider metadata not loaded yet") : nil
    }

    /// The discovery metadata; throws `ProviderError.notReady` before the first load.
    package func metadata() throws(ProviderError) -> ProviderMetadata {
        guard let loaded else { throw .notReady(lastFailure) }
        return loaded.metadata
    }

    /// Validates an ID token, refetching the JWKS once when its `kid` is new.
    package func validate(_ token: IDToken, purpose: IDTokenValidator.Purpose, now: Date) async throws -> IDTokenClaims {
        let validator = IDTokenValidator(issuer: settings.issuer, clientID: settings.clientID)
        return try await withKeys(now: now) { keys in try validator.validate(token, keys: keys, purpose: purpose, now: now) }
    }

    /// Validates a back-channel logout token, refetching the JWKS once when its `kid` is new.
    package func validateLogoutToken(_ token: String, now: Date) async throws -> LogoutTokenClaims {
        let validator = LogoutTokenValidator(issuer: settings.issuer, clientID: settings.clientID)
        return try await withKeys(now: now) { keys in try validator.validate(token, keys: keys, now: now) }
    }

    /// How long logout-token `jti`s must be remembered to catch replays.
    package nonisolated var logoutReplayWindow: Duration {
        LogoutTokenValidator(issuer: settings.issuer, clientID: settings.clientID).replayWindow
    }

    private func withKeys<T>(now: Date, _ body: (JWKSet) throws -> T) async throws -> T {
        guard let loaded else { throw ProviderError.notReady(lastFailure) }
        do {
            return try body(loaded.keys)
        } catch let error as JWTValidationError where error == .unknownKeyID {
            guard case .refetch = refetchPolicy.refetchDecision(now: now) else { throw error }
            let keys = try await fetchKeys(loaded.metadata)
            self.loaded = (loaded.metadata, keys)
            refetchPolicy.didFetch(at: now)
            return try body(keys)
        }
    }

    private func fetchMetadata() async throws -> ProviderMetadata {
        try await Self.fetchMetadata(issuer: settings.issuer, transport: transport, timeout: settings.timeout)
    }

    private func fetchKeys(_ metadata: ProviderMetadata) async throws -> JWKSet {
        try await Self.fetchKeys(metadata, transport: transport, timeout: settings.timeout)
    }

    /// Where OpenID Connect Discovery 1.0 §4 puts the metadata of `issuer`.
    package static func discoveryURL(issuer: String) -> String {
        issuer.hasSuffix("/") ? issuer + ".well-known/openid-configuration" : issuer + "/.well-known/openid-configuration"
    }

    /// The provider's metadata, checked against `issuer`; `check-config --live` asks the same way.
    package static func fetchMetadata(issuer: String, transport: any OAuthTransport, timeout: Duration) async throws -> ProviderMetadata {
        guard let url = URL(string: discoveryURL(issuer: issuer)) else {
            throw ProviderError.badResponse("issuer is not a URL")
        }
        let response = try await transport.get(url, timeout: timeout)
        guard response.status == 200 else { throw ProviderError.badResponse("discovery answered HTTP \(response.status)") }
        do {
            return try ProviderMetadata(discoveryDocument: response.body, expectedIssuer: issuer)
        } catch {
            throw ProviderError.badResponse("discovery: \(error)")
        }
    }

    /// The provider's signing keys; a key without `alg` takes the algorithms the metadata lists.
    package static func fetchKeys(_ metadata: ProviderMetadata, transport: any OAuthTransport, timeout: Duration) async throws -> JWKSet {
        let response = try await transport.get(metadata.jwksURI, timeout: timeout)
        guard response.status == 200 else { throw ProviderError.badResponse("JWKS answered HTTP \(response.status)") }
        do {
            let algorithms = metadata.idTokenSigningAlgValuesSupported.isEmpty ? ["RS256"] : metadata.idTokenSigningAlgValuesSupported
            return try JWKSet(jwks: response.body, fallbackAlgorithms: algorithms)
        } catch {
            throw ProviderError.badResponse("JWKS: \(error)")
        }
    }
}

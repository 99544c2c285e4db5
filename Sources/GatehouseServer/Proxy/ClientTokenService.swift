package import Foundation
package import GatehouseOAuth
import Logging
import Synchronization

/// The client-credentials access token for `token: client` and
/// `user_or_client` routes: one per process, cached and shared by every such
/// request, fetched again before it expires — one fetch at a time, which
/// concurrent callers wait for.
package actor ClientTokenService {
    private struct Cached {
        var token: AccessToken
        var expiresAt: Date?
    }

    private let provider: OIDCProvider
    private let transport: any OAuthTransport
    private let configuration: GatehouseConfiguration
    private let random: any RandomSource
    private let now: @Sendable () -> Date
    private let logger = Logger(label: "gatehouse.client-token")
    private let metrics: GatehouseMetrics
    /// The current token, readable without a hop onto the actor.
    private let current = Mutex<Cached?>(nil)
    private var inFlight: Task<AccessToken, any Error>?

    package init(
        provider: OIDCProvider, transport: any OAuthTransport, configuration: GatehouseConfiguration,
        random: any RandomSource = SystemRandomSource(), now: @escaping @Sendable () -> Date = { Date() },
        metrics: GatehouseMetrics = GatehouseMetrics()
    ) {
        self.provider = provider
        self.transport = transport
        self.configuration = configuration
        self.random = random
        self.now = now
        self.metrics = metrics
    }

    /// A usable client token; throws ``ProviderError`` when the provider does not give one.
    package nonisolated func token() async throws -> AccessToken {
        if let cached = current.withLock({ $0 }), !needsFetch(cached) { return cached.token }
        return try await fetchCoalesced()
    }

    private func fetchCoalesced() async throws -> AccessToken {
        if let cached = current.withLock({ $0 }), !needsFetch(cached) { return cached.token }
        if let inFlight { return try await inFlight.value }
        let task = Task { try await self.fetch() }
        inFlight = task
        defer { inFlight = nil }
        return try await task.value
    }

    /// How long a token whose response had no `expires_in` is used before it is fetched again.
    /// Nothing says when such a token ends; using it "until an upstream refuses it" would keep
    /// a revoked or expired token in use for the life of the process.
    static let assumedLifetime: TimeInterval = 300

    private nonisolated func needsFetch(_ cached: Cached) -> Bool {
        guard let expiresAt = cached.expiresAt else { return true }
        return RefreshPolicy(refreshBeforeExpiry: configuration.session.refreshBeforeExpiry).needsRefresh(expiresAt: expiresAt, now: now())
    }

    private func fetch() async throws -> AccessToken {
        let metadata = try await provider.metadata()
        let builder = provider.tokenRequests(metadata, random: random)
        let request = try builder.clientCredentials(now: now())
        let answer = try await transport.post(request, timeout: configuration.timings.providerCall)
        let tokens: TokenResponse
        do {
            tokens = try TokenResponse(status: answer.status, body: answer.body, now: now())
        } catch {
            metrics.clientToken(.failed)
            logger.warning("client credentials grant failed", metadata: ["gatehouse.event": EventName.clientTokenFailed, "gatehouse.error": "\(error)"])
            throw ProviderError.badResponse("token endpoint (client credentials): \(error)")
        }
        let fetched = Cached(token: tokens.accessToken, expiresAt: tokens.accessTokenExpiresAt ?? now().addingTimeInterval(Self.assumedLifetime))
        current.withLock { $0 = fetched }
        metrics.clientToken(.ok)
        logger.debug("client token obtained", metadata: ["gatehouse.event": EventName.clientTokenOk])
        return tokens.accessToken
    }
}

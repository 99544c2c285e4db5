public import Foundation
public import GatehouseOAuth
public import GatehouseSessions
import Logging

/// Keeps a session's access token fresh: refreshes it when it expires within
/// `refresh_before_expiry`, one refresh per session at a time in this process
/// (concurrent callers wait for the same refresh and use its result).
public actor TokenService {
    private let vault: SessionVault
    private let provider: OIDCProvider
    private let transport: any OAuthTransport
    private let settings: BFFSettings
    private let random: any RandomSource
    private let now: @Sendable () -> Date
    private let logger = Logger(label: "gatehouse.tokens")
    private var inFlight: [SessionKey: Task<SessionRecord?, any Error>] = [:]
    private let metrics: GatehouseMetrics

    public init(vault: SessionVault, provider: OIDCProvider, transport: any OAuthTransport, settings: BFFSettings, random: any RandomSource = SystemRandomSource(), now: @escaping @Sendable () -> Date = { Date() }, metrics: GatehouseMetrics = GatehouseMetrics()) {
        self.metrics = metrics
        self.vault = vault
        self.provider = provider
        self.transport = transport
        self.settings = settings
        self.random = random
        self.now = now
    }

    /// The record with a usable access token; `nil` when the provider refused
    /// the refresh token (`invalid_grant`), which ends the session.
    public func fresh(_ id: SessionID, record: SessionRecord) async throws -> SessionRecord? {
        let policy = RefreshPolicy(refreshBeforeExpiry: settings.refreshBeforeExpiry)
        guard policy.needsRefresh(expiresAt: record.accessTokenExpiresAt, now: now()), record.refreshToken != nil else {
            return record
        }
        let key = id.key
        if let running = inFlight[key] {
            metrics.refresh("coalesced")
            return try await running.value
        }
        let task = Task { try await self.refresh(id, record: record) }
        inFlight[key] = task
        defer { inFlight[key] = nil }
        return try await task.value
    }

    private func refresh(_ id: SessionID, record stale: SessionRecord) async throws -> SessionRecord? {
        // Re-read first: a caller holding a record read before another refresh
        // finished must not spend the refresh token that refresh rotated away.
        guard let record = try await vault.load(id, now: now()) else { return nil }
        let policy = RefreshPolicy(refreshBeforeExpiry: settings.refreshBeforeExpiry)
        guard policy.needsRefresh(expiresAt: record.accessTokenExpiresAt, now: now()), let refreshToken = record.refreshToken else {
            return record
        }
        let metadata = try await provider.metadata()
        let builder = TokenRequestBuilder(
            clientID: settings.clientID, authentication: settings.clientAuthentication,
            tokenEndpoint: metadata.tokenEndpoint, random: RandomSourceBox(base: random)
        )
        let request = try builder.refresh(refreshToken, now: now())
        let answer = try await transport.post(request, timeout: settings.providerTimeout)
        let tokens: TokenResponse
        do {
            tokens = try TokenResponse(status: answer.status, body: answer.body, now: now())
        } catch {
            if error.oauthError == .invalidGrant {
                metrics.refresh("invalid_grant")
                logger.info("refresh token rejected; session ended", metadata: ["gatehouse.event": "refresh.invalid_grant", "gatehouse.session": "\(id.key)"])
                try await vault.end(id)
                return nil
            }
            metrics.refresh("failed")
            logger.warning("refresh failed", metadata: ["gatehouse.event": "refresh.failed", "gatehouse.error": "\(error)"])
            throw ProviderError.badResponse("token endpoint: \(error)")
        }
        var claims: IDTokenClaims?
        if let idToken = tokens.idToken {
            claims = try await provider.validate(idToken, purpose: .refresh(subject: record.subject), now: now())
        }
        var updated = record
        updated.apply(refreshed: tokens, claims: claims, now: now())
        try await vault.update(id, record: updated, now: now())
        metrics.refresh("ok")
        logger.debug("refreshed", metadata: ["gatehouse.event": "refresh.ok", "gatehouse.session": "\(id.key)"])
        return updated
    }
}

public import Foundation
public import GatehouseOAuth
public import GatehouseSessions
import Logging

/// Keeps a session's access token fresh: refreshes it when it expires within
/// `refresh_before_expiry`, one refresh per session at a time — in this process
/// (concurrent callers share one task) and across replicas (the refresh lock;
/// callers on other replicas wait for its release and re-read the session).
public actor TokenService {
    private let vault: SessionVault
    private let lock: any RefreshLock
    private let provider: OIDCProvider
    private let transport: any OAuthTransport
    private let settings: BFFSettings
    private let random: any RandomSource
    private let now: @Sendable () -> Date
    private let logger = Logger(label: "gatehouse.tokens")
    private var inFlight: [SessionKey: Task<SessionRecord?, any Error>] = [:]
    private let metrics: GatehouseMetrics

    /// - Parameter lock: shared by every replica (Redis); the in-memory lock suits one process.
    public init(
        vault: SessionVault, lock: any RefreshLock = MemoryRefreshLock(), provider: OIDCProvider, transport: any OAuthTransport,
        settings: BFFSettings, random: any RandomSource = SystemRandomSource(), now: @escaping @Sendable () -> Date = { Date() },
        metrics: GatehouseMetrics = GatehouseMetrics()
    ) {
        self.metrics = metrics
        self.vault = vault
        self.lock = lock
        self.provider = provider
        self.transport = transport
        self.settings = settings
        self.random = random
        self.now = now
    }

    private nonisolated var policy: RefreshPolicy { RefreshPolicy(refreshBeforeExpiry: settings.refreshBeforeExpiry) }

    /// The record with a usable access token; `nil` when the provider refused
    /// the refresh token (`invalid_grant`), which ends the session.
    ///
    /// Nonisolated: a token that is still fresh — nearly every call — is
    /// returned without a hop onto the actor, which would serialise every
    /// proxied request of the process through one executor.
    public nonisolated func fresh(_ id: SessionID, record: SessionRecord) async throws -> SessionRecord? {
        guard policy.needsRefresh(expiresAt: record.accessTokenExpiresAt, now: now()), record.refreshToken != nil else {
            return record
        }
        return try await refreshCoalesced(id)
    }

    private func refreshCoalesced(_ id: SessionID) async throws -> SessionRecord? {
        let key = id.key
        if let running = inFlight[key] {
            metrics.refresh("coalesced")
            return try await running.value
        }
        let task = Task { try await self.refresh(id) }
        inFlight[key] = task
        defer { inFlight[key] = nil }
        return try await task.value
    }

    /// Re-reads, and either finds the session already refreshed (by another
    /// replica), or takes the lock and refreshes, or waits for the holder's
    /// release and looks again — until the provider timeout plus one lease.
    private func refresh(_ id: SessionID) async throws -> SessionRecord? {
        let clock = ContinuousClock()
        let deadline = clock.now + settings.providerTimeout + settings.refreshLockLease
        var waited = false
        while true {
            // A caller holding a record read before another refresh finished
            // must not spend the refresh token that refresh rotated away.
            guard let record = try await vault.load(id, now: now(), fromStore: true) else { return nil }
            guard policy.needsRefresh(expiresAt: record.accessTokenExpiresAt, now: now()), record.refreshToken != nil else {
                if waited { metrics.refresh("coalesced") }
                return record
            }
            let remaining = deadline - clock.now
            guard remaining > .zero else {
                metrics.refresh("failed")
                logger.warning("gave up waiting for another replica's refresh", metadata: ["gatehouse.event": "refresh.lock_timeout", "gatehouse.session": "\(id.key)"])
                throw RefreshWaitTimeout()
            }
            let owner = LockOwner.generate(using: RandomSourceBox(base: random))
            let outcome = try await lock.acquireOrWait(id.key, owner: owner, lease: settings.refreshLockLease, timeout: min(remaining, settings.refreshLockLease))
            if outcome == .acquired { return try await refreshHolding(id, owner: owner) }
            waited = true
        }
    }

    /// Runs the refresh while renewing the lease, then releases the lock
    /// (which wakes the waiters on every replica), whatever the outcome.
    private func refreshHolding(_ id: SessionID, owner: LockOwner) async throws -> SessionRecord? {
        let key = id.key
        let lease = settings.refreshLockLease
        let lock = self.lock
        let logger = self.logger
        let renewal = Task {
            // A timer that keeps the lease alive, not a wait for a condition.
            while !Task.isCancelled {
                try await Task.sleep(for: lease / 3)
                guard try await lock.renew(key, owner: owner, lease: lease) else {
                    logger.warning("refresh lock lease lost", metadata: ["gatehouse.event": "refresh.lease_lost", "gatehouse.session": "\(key)"])
                    return
                }
            }
        }
        let result: Result<SessionRecord?, any Error>
        do {
            result = .success(try await refreshNow(id))
        } catch {
            result = .failure(error)
        }
        renewal.cancel()
        do {
            try await lock.release(key, owner: owner)
        } catch {
            // The lease runs out on its own; waiters time out and look again.
            logger.warning("refresh lock release failed", metadata: ["gatehouse.event": "refresh.release_failed", "gatehouse.error": "\(error)"])
        }
        return try result.get()
    }

    private func refreshNow(_ id: SessionID) async throws -> SessionRecord? {
        // Re-read under the lock: another replica may have finished between our read and taking it.
        guard let record = try await vault.load(id, now: now(), fromStore: true) else { return nil }
        guard policy.needsRefresh(expiresAt: record.accessTokenExpiresAt, now: now()), let refreshToken = record.refreshToken else {
            metrics.refresh("coalesced")
            return record
        }
        let metadata = try await provider.metadata()
        let builder = TokenRequestBuilder(
            clientID: settings.clientID, authentication: settings.clientAuthentication,
            tokenEndpoint: metadata.tokenEndpoint, random: RandomSourceBox(base: random)
        )
        let request = try builder.refresh(refreshToken, now: now())
        let answer: TransportResponse
        do {
            answer = try await transport.post(request, timeout: settings.providerTimeout)
        } catch {
            metrics.refresh("failed")
            throw error
        }
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

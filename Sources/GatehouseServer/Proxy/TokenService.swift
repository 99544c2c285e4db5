package import Foundation
package import GatehouseOAuth
package import GatehouseSessions
import Logging

/// Keeps a session's access token fresh: refreshes it when it expires within
/// `refresh_before_expiry`, one refresh per session at a time — in this process
/// (concurrent callers share one task) and across replicas (the refresh lock;
/// callers on other replicas wait for its release and re-read the session).
package actor TokenService {
    private let vault: SessionVault
    private let lock: any RefreshLock
    private let provider: OIDCProvider
    private let transport: any OAuthTransport
    private let configuration: GatehouseConfiguration
    private let random: any RandomSource
    private let now: @Sendable () -> Date
    private let logger = Logger(label: "gatehouse.tokens")
    private var inFlight: [SessionKey: Task<SessionRecord?, any Error>] = [:]
    /// Exchanges in progress, by session key and audience.
    private var exchangesInFlight: [String: Task<SessionRecord?, any Error>] = [:]
    private let metrics: GatehouseMetrics

    /// - Parameter lock: shared by every replica (Redis); the in-memory lock suits one process.
    package init(
        vault: SessionVault, lock: any RefreshLock = MemoryRefreshLock(), provider: OIDCProvider, transport: any OAuthTransport,
        configuration: GatehouseConfiguration, random: any RandomSource = SystemRandomSource(), now: @escaping @Sendable () -> Date = { Date() },
        metrics: GatehouseMetrics = GatehouseMetrics()
    ) {
        self.metrics = metrics
        self.vault = vault
        self.lock = lock
        self.provider = provider
        self.transport = transport
        self.configuration = configuration
        self.random = random
        self.now = now
    }

    private nonisolated var policy: RefreshPolicy { RefreshPolicy(refreshBeforeExpiry: configuration.session.refreshBeforeExpiry) }

    /// The record with a usable access token; `nil` when the provider refused
    /// the refresh token (`invalid_grant`), which ends the session.
    ///
    /// Nonisolated: a token that is still fresh — nearly every call — is
    /// returned without a hop onto the actor, which would serialise every
    /// proxied request of the process through one executor.
    package nonisolated func fresh(_ id: SessionID, record: SessionRecord) async throws -> SessionRecord? {
        guard policy.needsRefresh(expiresAt: record.accessTokenExpiresAt, now: now()), record.refreshToken != nil else {
            return record
        }
        return try await refreshCoalesced(id)
    }

    private func refreshCoalesced(_ id: SessionID) async throws -> SessionRecord? {
        let key = id.key
        if let running = inFlight[key] {
            metrics.refresh(.coalesced)
            return try await running.value
        }
        let task = Task { try await self.refresh(id) }
        inFlight[key] = task
        defer { inFlight[key] = nil }
        return try await task.value
    }

    private func refresh(_ id: SessionID) async throws -> SessionRecord? {
        try await underLock(id, done: { !self.policy.needsRefresh(expiresAt: $0.accessTokenExpiresAt, now: self.now()) || $0.refreshToken == nil }) { owner in
            try await self.refreshNow(id, owner: owner)
        }
    }

    /// The token for a route's `audience` (RFC 8693): the one in the record while it is fresh,
    /// else one exchange of the user's (fresh) access token — one per session at a time in this
    /// process and across replicas, under the session's refresh lock, so an exchange and a refresh
    /// never write the record over each other. Throws ``BFFError/tokenExchangeFailed`` when the
    /// provider refuses; `nil` when the session ended.
    package nonisolated func exchanged(_ id: SessionID, record: SessionRecord, audience: String) async throws -> AccessToken? {
        if let cached = record.exchangedTokens?[audience], !policy.needsRefresh(expiresAt: cached.expiresAt, now: now()) {
            return cached.accessToken
        }
        return try await exchangeCoalesced(id, audience: audience)?.exchangedTokens?[audience]?.accessToken
    }

    private func exchangeCoalesced(_ id: SessionID, audience: String) async throws -> SessionRecord? {
        let key = id.key.rawValue + " " + audience
        if let running = exchangesInFlight[key] { return try await running.value }
        let task = Task {
            try await self.underLock(id, done: { self.hasFreshTokens($0, audience: audience) }) { owner in
                try await self.exchangeNow(id, owner: owner, audience: audience)
            }
        }
        exchangesInFlight[key] = task
        defer { exchangesInFlight[key] = nil }
        return try await task.value
    }

    private nonisolated func hasFreshTokens(_ record: SessionRecord, audience: String) -> Bool {
        let userFresh = !policy.needsRefresh(expiresAt: record.accessTokenExpiresAt, now: now()) || record.refreshToken == nil
        guard userFresh, let cached = record.exchangedTokens?[audience] else { return false }
        return !policy.needsRefresh(expiresAt: cached.expiresAt, now: now())
    }

    /// Re-reads, and either finds the work already done (by another replica), or takes the
    /// session's lock and does it, or waits for the holder's release and looks again — until
    /// the provider timeout plus one lease.
    private func underLock(
        _ id: SessionID, done: @Sendable (SessionRecord) -> Bool, work: (LockOwner) async throws -> SessionRecord?
    ) async throws -> SessionRecord? {
        let clock = ContinuousClock()
        let deadline = clock.now + configuration.timings.providerCall + configuration.timings.refreshLockLease
        var waited = false
        while true {
            // A caller holding a record read before another refresh finished
            // must not spend the refresh token that refresh rotated away.
            guard let record = try await vault.load(id, now: now(), fromStore: true) else { return nil }
            if done(record) {
                if waited { metrics.refresh(.coalesced) }
                return record
            }
            let remaining = deadline - clock.now
            guard remaining > .zero else {
                metrics.refresh(.failed)
                logger.warning("gave up waiting for another replica's refresh", metadata: ["gatehouse.event": EventName.refreshLockTimeout, "gatehouse.session": "\(id.key)"])
                throw RefreshWaitTimeout()
            }
            let owner = LockOwner.generate(using: RandomSourceBox(base: random))
            let outcome = try await lock.acquireOrWait(id.key, owner: owner, lease: configuration.timings.refreshLockLease, timeout: min(remaining, configuration.timings.refreshLockLease))
            if outcome == .acquired { return try await holding(id, owner: owner, work) }
            waited = true
        }
    }

    /// Runs the work while renewing the lease, then releases the lock
    /// (which wakes the waiters on every replica), whatever the outcome.
    private func holding(_ id: SessionID, owner: LockOwner, _ work: (LockOwner) async throws -> SessionRecord?) async throws -> SessionRecord? {
        let key = id.key
        let lease = configuration.timings.refreshLockLease
        let lock = self.lock
        let logger = self.logger
        let renewal = Task {
            // A timer that keeps the lease alive, not a wait for a condition.
            while !Task.isCancelled {
                try await Task.sleep(for: lease / 3)
                do {
                    guard try await lock.renew(key, owner: owner, lease: lease) else {
                        logger.warning("refresh lock lease lost", metadata: ["gatehouse.event": EventName.refreshLeaseLost, "gatehouse.session": "\(key)"])
                        return
                    }
                } catch {
                    // The store blinked (a failover): the lease may still hold on the new master.
                    continue
                }
            }
        }
        let result: Result<SessionRecord?, any Error>
        do {
            result = .success(try await work(owner))
        } catch {
            result = .failure(error)
        }
        renewal.cancel()
        do {
            try await lock.release(key, owner: owner)
        } catch {
            // The lease runs out on its own; waiters time out and look again.
            logger.warning("refresh lock release failed", metadata: ["gatehouse.event": EventName.refreshReleaseFailed, "gatehouse.error": "\(error)"])
        }
        return try result.get()
    }

    /// Writes refreshed tokens, fenced by the lock. The provider has rotated the refresh token, so
    /// these tokens exist only here: when the store blinks (a Sentinel failover), the write is tried
    /// again until it answers, for as long as the lease may still hold; then the fence decides.
    private func writeBack(_ id: SessionID, record: SessionRecord, fence owner: LockOwner) async throws -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + configuration.timings.refreshLockLease
        while true {
            do {
                return try await vault.replace(id, record: record, now: now(), fence: owner)
            } catch let error as SessionStoreError where error.isUnavailable && clock.now < deadline {
                // A timer between attempts, as the store's own reconnects have.
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    private func refreshNow(_ id: SessionID, owner: LockOwner) async throws -> SessionRecord? {
        // Re-read under the lock: another replica may have finished between our read and taking it.
        guard let record = try await vault.load(id, now: now(), fromStore: true) else { return nil }
        guard policy.needsRefresh(expiresAt: record.accessTokenExpiresAt, now: now()), let refreshToken = record.refreshToken else {
            metrics.refresh(.coalesced)
            return record
        }
        let metadata = try await provider.metadata()
        let builder = provider.tokenRequests(metadata, random: random)
        let request = try builder.refresh(refreshToken, now: now())
        let answer: TransportResponse
        do {
            answer = try await post(request, proving: record.proofKey)
        } catch {
            metrics.refresh(.failed)
            throw error
        }
        let tokens: TokenResponse
        do {
            tokens = try TokenResponse(status: answer.status, body: answer.body, now: now(), tokenType: record.tokenType)
        } catch {
            if error.oauthError == .invalidGrant {
                metrics.refresh(.invalidGrant)
                logger.info("refresh token rejected; session ended", metadata: ["gatehouse.event": EventName.refreshInvalidGrant, "gatehouse.session": "\(id.key)"])
                try await vault.end(id)
                return nil
            }
            metrics.refresh(.failed)
            logger.warning("refresh failed", metadata: ["gatehouse.event": EventName.refreshFailed, "gatehouse.error": "\(error)"])
            throw ProviderError.badResponse("token endpoint: \(error)")
        }
        // An ID token that does not validate (or keys that cannot be fetched) makes the new access
        // token untrusted, but the refresh token may have been rotated already: keep that one, or
        // the session is lost with it.
        var idTokenProblem: (any Error)?
        var claims: IDTokenClaims?
        if let idToken = tokens.idToken {
            do {
                claims = try await provider.validate(idToken, purpose: .refresh(subject: record.subject), now: now())
            } catch {
                idTokenProblem = error
            }
        }
        var updated = record
        if idTokenProblem == nil {
            updated.apply(refreshed: tokens, claims: claims, now: now())
        } else if let rotated = tokens.refreshToken {
            updated.refreshToken = rotated
        }
        // Written only while the session still exists and the lock is still ours, in one step: a
        // logout, back-channel logout or ended session during the provider call stays ended.
        guard try await writeBack(id, record: updated, fence: owner) else {
            // A write that landed but whose answer was lost with its connection (a failover) reads
            // as refused on the retry: the stored record says whether the rotated token is there.
            if let rotated = tokens.refreshToken, rotated != refreshToken,
               let stored = try? await vault.load(id, now: now(), fromStore: true), stored.refreshToken == rotated {
                metrics.refresh(.ok)
                return stored
            }
            metrics.refresh(.discarded)
            logger.notice("session ended during its refresh; the new tokens are revoked", metadata: ["gatehouse.event": EventName.refreshDiscarded, "gatehouse.session": "\(id.key)"])
            await revoke(tokens, with: builder, key: record.proofKey)
            // Still there: the lease ran out and another replica may be refreshing; the caller may retry.
            if try await vault.load(id, now: now(), fromStore: true) != nil { throw RefreshWaitTimeout() }
            return nil
        }
        if let idTokenProblem {
            metrics.refresh(.failed)
            logger.warning("refreshed ID token rejected; the rotated refresh token is kept", metadata: ["gatehouse.event": EventName.refreshIdTokenRejected, "gatehouse.error": "\(idTokenProblem)"])
            throw ProviderError.badResponse("refreshed ID token did not validate")
        }
        metrics.refresh(.ok)
        logger.debug("refreshed", metadata: ["gatehouse.event": EventName.refreshOk, "gatehouse.session": "\(id.key)"])
        return updated
    }

    /// Under the lock: refreshes the user's token when due (the exchange needs a live one), then
    /// exchanges it for `audience` and writes the result into the record, fenced like a refresh.
    private func exchangeNow(_ id: SessionID, owner: LockOwner, audience: String) async throws -> SessionRecord? {
        guard var record = try await vault.load(id, now: now(), fromStore: true) else { return nil }
        if policy.needsRefresh(expiresAt: record.accessTokenExpiresAt, now: now()), record.refreshToken != nil {
            guard let refreshed = try await refreshNow(id, owner: owner) else { return nil }
            record = refreshed
        }
        if hasFreshTokens(record, audience: audience) { return record }
        let metadata = try await provider.metadata()
        let request = try provider.tokenRequests(metadata, random: random).tokenExchange(record.accessToken, audience: audience, now: now())
        let tokens: TokenResponse
        do {
            let answer = try await post(request, proving: record.proofKey)
            tokens = try TokenResponse(status: answer.status, body: answer.body, now: now(), tokenType: record.tokenType)
        } catch let error as TokenEndpointError where error.oauthError != nil {
            metrics.tokenExchange(.refused)
            logger.notice("token exchange refused", metadata: ["gatehouse.event": EventName.tokenExchangeRefused, "gatehouse.audience": "\(audience)", "gatehouse.error": "\(error)"])
            throw BFFError.tokenExchangeFailed
        } catch {
            metrics.tokenExchange(.failed)
            logger.warning("token exchange failed", metadata: ["gatehouse.event": EventName.tokenExchangeFailed, "gatehouse.audience": "\(audience)", "gatehouse.error": "\(error)"])
            throw error as? ProviderError ?? ProviderError.badResponse("token endpoint: \(error)")
        }
        let expiresAt = tokens.accessTokenExpiresAt ?? now().addingTimeInterval(ClientTokenService.assumedLifetime)
        record.exchangedTokens = (record.exchangedTokens ?? [:]).merging([audience: ExchangedToken(accessToken: tokens.accessToken, expiresAt: expiresAt)]) { $1 }
        guard try await vault.replace(id, record: record, now: now(), fence: owner) else {
            // The session ended meanwhile (or the lease ran out): the token is not kept.
            if try await vault.load(id, now: now(), fromStore: true) != nil { throw RefreshWaitTimeout() }
            return nil
        }
        metrics.tokenExchange(.ok)
        logger.debug("token exchanged", metadata: ["gatehouse.event": EventName.tokenExchangeOk, "gatehouse.audience": "\(audience)", "gatehouse.session": "\(id.key)"])
        return record
    }

    /// A token-endpoint or revocation request, with a DPoP proof of the session's key when it has one.
    private func post(_ request: FormPostRequest, proving key: DPoPKey?) async throws -> TransportResponse {
        try await transport.post(request, proving: key, nonces: provider.dpopNonces, timeout: configuration.timings.providerCall, now: now, random: random)
    }

    /// Best effort: tokens nobody will use again are revoked so they cannot outlive their session.
    private func revoke(_ tokens: TokenResponse, with builder: TokenRequestBuilder, key: DPoPKey?) async {
        var requests: [FormPostRequest] = []
        if let refreshToken = tokens.refreshToken, let request = try? builder.revocation(of: refreshToken, now: now()) { requests.append(request) }
        if let request = try? builder.revocation(of: tokens.accessToken, now: now()) { requests.append(request) }
        for request in requests {
            do {
                _ = try await post(request, proving: key)
            } catch {
                logger.warning("revocation of discarded tokens failed", metadata: ["gatehouse.event": EventName.refreshRevocationFailed, "gatehouse.error": "\(error)"])
            }
        }
    }
}

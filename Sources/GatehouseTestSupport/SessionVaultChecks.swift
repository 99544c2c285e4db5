package import Foundation
import GatehouseOAuth
package import GatehouseSessions
package import Testing

/// Vault behaviour that depends on the store underneath, run against each store.
package enum SessionVaultChecks {
    /// A record for `subject` created at `createdAt`, with a day of absolute lifetime.
    package static func record(subject: String, sid: String? = nil, createdAt: Date) -> SessionRecord {
        SessionRecord(
            subject: subject, providerSessionID: sid, claims: ["sub": .string(subject)], idToken: IDToken("id.token.x"),
            accessToken: AccessToken("at-\(createdAt.timeIntervalSince1970)"), accessTokenExpiresAt: createdAt.addingTimeInterval(300),
            refreshToken: RefreshToken("rt"), scopes: ["openid"], createdAt: createdAt, lastSeenAt: createdAt,
            absoluteExpiresAt: createdAt.addingTimeInterval(86_400)
        )
    }

    /// A vault over `store` with a fixed test key and a cache.
    package static func vault(over store: any SessionStore) throws -> SessionVault {
        SessionVault(
            store: store, cipher: try SessionCipher(keys: [try SessionCipherKey(bytes: [UInt8](repeating: 3, count: 32))]),
            timeouts: SessionTimeouts(idle: .seconds(1800), absolute: .seconds(86_400)), cache: SessionCache()
        )
    }

    /// Three sessions of one user, limit 2: the oldest is ended and returned, the newest two load;
    /// another user's sessions and a limit of 0 are left alone.
    package static func endOldestKeepsTheNewest(store: any SessionStore, now: Date, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let at = sourceLocation
        // Whole seconds: records keep dates to the millisecond.
        let now = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down))
        let vault = try self.vault(over: store)
        let subject = "user-" + SystemRandomSource().base64URLToken(byteCount: 9)
        // Created out of order, so neither key order nor save order gives the answer.
        let middle = try #require(try await vault.create(record(subject: subject, createdAt: now.addingTimeInterval(-20)), now: now), sourceLocation: at)
        let oldest = try #require(try await vault.create(record(subject: subject, sid: "s-old", createdAt: now.addingTimeInterval(-30)), now: now), sourceLocation: at)
        let newest = try #require(try await vault.create(record(subject: subject, createdAt: now.addingTimeInterval(-10)), now: now), sourceLocation: at)
        let bystander = try #require(try await vault.create(record(subject: subject + "-other", createdAt: now.addingTimeInterval(-40)), now: now), sourceLocation: at)
        _ = try await vault.load(oldest, now: now)  // cached, so the end must evict it

        #expect(try await vault.endOldest(subject: subject, keeping: 0, now: now).isEmpty, "0 is unlimited", sourceLocation: at)
        #expect(try await vault.endOldest(subject: subject, keeping: 3, now: now).isEmpty, "within the limit", sourceLocation: at)
        let ended = try await vault.endOldest(subject: subject, keeping: 2, now: now)
        #expect(ended.map(\.createdAt) == [now.addingTimeInterval(-30)], "the oldest was ended and returned", sourceLocation: at)
        #expect(ended.first?.providerSessionID == "s-old", sourceLocation: at)
        #expect(try await vault.load(oldest, now: now) == nil, "and it is gone, cache included", sourceLocation: at)
        #expect(try await vault.load(middle, now: now) != nil, sourceLocation: at)
        #expect(try await vault.load(newest, now: now) != nil, sourceLocation: at)
        #expect(try await vault.load(bystander, now: now) != nil, sourceLocation: at)
        #expect(Set(try await store.keys(subject: subject)) == [middle.key, newest.key], sourceLocation: at)
        #expect(try await vault.endOldest(subject: subject, keeping: 2, now: now).isEmpty, sourceLocation: at)
    }

    /// The vault's fenced write-back: refused after an end or without the lock, and then the cache
    /// no longer holds the session; accepted with the lock, and then the cache holds the new record.
    package static func replaceIsFencedAndKeepsTheCacheHonest(
        store: any SessionStore, lock: any RefreshLock, now: Date, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let at = sourceLocation
        let vault = try self.vault(over: store)
        let cache = try #require(vault.cache, sourceLocation: at)
        let random = SystemRandomSource()
        let (alice, bob) = (LockOwner.generate(using: random), LockOwner.generate(using: random))
        var record = record(subject: "user-" + random.base64URLToken(byteCount: 9), createdAt: now)
        let id = try #require(try await vault.create(record, now: now), sourceLocation: at)

        #expect(try await lock.acquire(id.key, owner: alice, lease: .seconds(60)), sourceLocation: at)
        record.accessToken = AccessToken("refreshed")
        #expect(try await vault.replace(id, record: record, now: now, fence: alice), sourceLocation: at)
        #expect(cache.record(for: id.key, at: .now)?.accessToken.value == "refreshed", "the cache holds what was written", sourceLocation: at)
        #expect(try await vault.load(id, now: now, fromStore: true)?.accessToken.value == "refreshed", sourceLocation: at)

        _ = try await lock.release(id.key, owner: alice)
        #expect(try await lock.acquire(id.key, owner: bob, lease: .seconds(60)), sourceLocation: at)
        record.accessToken = AccessToken("stale")
        #expect(try await vault.replace(id, record: record, now: now, fence: alice) == false, "Bob holds the lock now", sourceLocation: at)
        #expect(cache.record(for: id.key, at: .now) == nil, "a refused write evicts the cached copy", sourceLocation: at)
        #expect(try await vault.load(id, now: now)?.accessToken.value == "refreshed", sourceLocation: at)

        #expect(try await vault.end(id) != nil, sourceLocation: at)
        record.accessToken = AccessToken("resurrected")
        #expect(try await vault.replace(id, record: record, now: now, fence: bob) == false, "an ended session stays ended", sourceLocation: at)
        #expect(try await vault.replace(id, record: record, now: now, fence: nil) == false, sourceLocation: at)
        #expect(cache.record(for: id.key, at: .now) == nil, sourceLocation: at)
        #expect(try await vault.load(id, now: now) == nil, sourceLocation: at)
        #expect(try await store.load(id.key) == nil, sourceLocation: at)
    }
}

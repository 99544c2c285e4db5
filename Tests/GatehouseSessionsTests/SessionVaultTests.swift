import Foundation
import GatehouseOAuth
import GatehouseSessions
import GatehouseTestSupport
import Testing

@Suite("Session vault")
struct SessionVaultTests {
    let clock = TestClock()
    let store: MemorySessionStore<TestClock>
    let vault: SessionVault
    let start = Date(timeIntervalSince1970: 1_700_000_000)
    let key = try! SessionCipherKey(bytes: [UInt8](repeating: 7, count: 32))

    init() throws {
        self.store = MemorySessionStore(clock: clock)
        self.vault = SessionVault(
            store: store,
            cipher: try SessionCipher(keys: [key]),
            timeouts: SessionTimeouts(idle: .seconds(1800), absolute: .seconds(43_200), login: .seconds(600))
        )
    }

    @Test("a created session loads back, under a new id each time, and the store holds only sealed bytes under the hash")
    func createAndLoad() async throws {
        let record = SessionRecordTests.record(now: start)
        let id = try #require(try await vault.create(record, now: start))
        let other = try #require(try await vault.create(record, now: start))
        #expect(id != other)
        #expect(try await vault.load(id, now: start) == record)
        let stored = try #require(await store.load(id.key))
        #expect(!String(decoding: stored, as: UTF8.self).contains("user-1"))
        #expect(await store.load(SessionKey(rawValue: String(repeating: "0", count: 64))!) == nil)
    }

    @Test("with a cache, a session's TTL is slid once per touch interval as its record's last_seen_at says, also when it fell out of a full cache")
    func touchSurvivesCacheEviction() async throws {
        // Lifetime zero and room for one: every read goes to the store, and each evicts the other.
        let cached = SessionVault(
            store: store, cipher: try SessionCipher(keys: [key]),
            timeouts: SessionTimeouts(idle: .seconds(1800), absolute: .seconds(43_200), login: .seconds(600)),
            cache: SessionCache(lifetime: .zero, touchInterval: .seconds(60), capacity: 1)
        )
        let a = try #require(try await cached.create(SessionRecordTests.record(now: start), now: start))
        let b = try #require(try await cached.create(SessionRecordTests.record(now: start), now: start))
        let at = { (seconds: Double) in self.start.addingTimeInterval(seconds) }
        #expect(try await cached.load(a, now: at(10))?.lastSeenAt == start, "written at login 10 s ago: no touch yet")
        _ = try await cached.load(b, now: at(11))
        #expect(try await cached.load(a, now: at(70))?.lastSeenAt == at(70), "a minute on: touched")
        _ = try await cached.load(b, now: at(71))
        #expect(try await cached.load(a, now: at(80))?.lastSeenAt == at(70), "pushed out of the cache and read again: not touched again")
        _ = try await cached.load(b, now: at(81))
        #expect(try await cached.load(a, now: at(131))?.lastSeenAt == at(131))
    }

    @Test("a session idles out after the idle timeout, and loading slides it")
    func idleTimeout() async throws {
        let id = try #require(try await vault.create(SessionRecordTests.record(now: start), now: start))
        clock.advance(by: .seconds(1200))
        #expect(try await vault.load(id, now: start.addingTimeInterval(1200)) != nil)
        clock.advance(by: .seconds(1200))
        #expect(try await vault.load(id, now: start.addingTimeInterval(2400)) != nil, "the load slid the idle timeout")
        clock.advance(by: .seconds(1801))
        #expect(try await vault.load(id, now: start.addingTimeInterval(4201)) == nil)
    }

    @Test("the store TTL never exceeds the time left to the absolute expiry")
    func absoluteTimeout() {
        let timeouts = SessionTimeouts(idle: .seconds(1800), absolute: .seconds(3600))
        #expect(timeouts.timeToLive(absoluteExpiresAt: start.addingTimeInterval(600), now: start) == .seconds(600))
        #expect(timeouts.timeToLive(absoluteExpiresAt: start.addingTimeInterval(7200), now: start) == .seconds(1800))
        #expect(timeouts.timeToLive(absoluteExpiresAt: start, now: start) == nil)
    }

    @Test("a session ends at its absolute expiry even while in use, and updates are refused after it")
    func absoluteExpiryWins() async throws {
        var record = SessionRecordTests.record(now: start)
        record.absoluteExpiresAt = start.addingTimeInterval(2000)
        let id = try #require(try await vault.create(record, now: start))
        clock.advance(by: .seconds(1500))
        #expect(try await vault.load(id, now: start.addingTimeInterval(1500)) != nil)
        record.accessToken = AccessToken("refreshed")
        #expect(try await vault.update(id, record: record, now: start.addingTimeInterval(1500)))
        #expect(try await vault.load(id, now: start.addingTimeInterval(1500))?.accessToken.value == "refreshed")
        clock.advance(by: .seconds(501))
        #expect(try await vault.load(id, now: start.addingTimeInterval(2001)) == nil, "store TTL was capped at the absolute expiry")
        #expect(try await vault.update(id, record: record, now: start.addingTimeInterval(2001)) == false)
    }

    @Test("a record sealed with an unknown key, or garbage, loads as no session")
    func undecryptable() async throws {
        let id = SessionID.generate(using: SystemRandomSource())
        await store.save(id.key, sealed: [1, 2, 3], subject: "user-1", sid: nil, ttl: .seconds(60))
        #expect(try await vault.load(id, now: start) == nil)
        let foreign = try SessionCipher(keys: [SessionCipherKey(bytes: [UInt8](repeating: 9, count: 32))])
        let sealed = try foreign.seal(try SessionRecordTests.record().encoded(), context: "gatehouse.session:" + id.key.rawValue)
        await store.save(id.key, sealed: sealed, subject: "user-1", sid: nil, ttl: .seconds(60))
        #expect(try await vault.load(id, now: start) == nil)
    }

    @Test("a record copied to another session's key does not load")
    func copiedRecord() async throws {
        let id = try #require(try await vault.create(SessionRecordTests.record(now: start), now: start))
        let victim = SessionID.generate(using: SystemRandomSource())
        let sealed = try #require(await store.load(id.key))
        await store.save(victim.key, sealed: sealed, subject: "user-1", sid: nil, ttl: .seconds(60))
        #expect(try await vault.load(victim, now: start) == nil)
    }

    @Test("ending a session removes it and its index entries, and back-channel logout ends by sid or sub")
    func ending() async throws {
        let record = SessionRecordTests.record(now: start)
        let first = try #require(try await vault.create(record, now: start))
        let second = try #require(try await vault.create(record, now: start))
        #expect(try await vault.end(first)?.subject == "user-1")
        #expect(try await vault.load(first, now: start) == nil)
        #expect(await store.keys(subject: "user-1") == [second.key])
        #expect(try await vault.endAll(providerSessionID: "sid-1") == 1)
        #expect(try await vault.load(second, now: start) == nil)
    }

    @Test("login state is sealed, taken once, and refused from another browser")
    func loginState() async throws {
        let request = AuthorizationRequest(
            endpoint: URL(string: "https://idp.example.com/auth")!, clientID: "c", redirectURI: "r", scopes: ["openid"],
            random: SystemRandomSource()
        )
        let state = LoginState(request: request, returnURL: ReturnURL(sanitizing: "/x"), loginCookie: "cookie-1", now: start)
        try await vault.putLoginState(state, handle: request.state)
        let taken = try #require(try await vault.takeLoginState(handle: request.state, now: start))
        #expect(taken == state)
        #expect(taken.isBound(to: "cookie-1"))
        #expect(!taken.isBound(to: "cookie-2"))
        #expect(try await vault.takeLoginState(handle: request.state, now: start) == nil)
    }

    @Test("login state expires after the login timeout")
    func loginStateExpiry() async throws {
        let state = LoginState(state: "s", nonce: "n", codeVerifier: CodeVerifier("v"), returnURL: "/", browserBinding: "b", createdAt: start)
        try await vault.putLoginState(state, handle: "s")
        clock.advance(by: .seconds(601))
        #expect(try await vault.takeLoginState(handle: "s", now: start.addingTimeInterval(601)) == nil)
    }

    @Test("a logout token jti is accepted once")
    func jtiReplay() async throws {
        #expect(try await vault.markLogoutTokenSeen(jti: "j1", ttl: .seconds(300)))
        #expect(try await vault.markLogoutTokenSeen(jti: "j1", ttl: .seconds(300)) == false)
    }

    @Test("the vault ends a user's oldest sessions beyond a limit (memory store)")
    func endOldest() async throws {
        try await SessionVaultChecks.endOldestKeepsTheNewest(store: MemorySessionStore(clock: clock), now: start)
    }

    @Test("the vault's fenced write-back (memory store): refused after an end or without the lock, cache kept honest")
    func fencedReplace() async throws {
        let store = MemorySessionStore(clock: clock)
        try await SessionVaultChecks.replaceIsFencedAndKeepsTheCacheHonest(store: store, lock: store.refreshLock, now: start)
    }

    @Test("a refresh that finishes after logout writes nothing, where update would have brought the session back")
    func noResurrection() async throws {
        let record = SessionRecordTests.record(now: start)
        let id = try #require(try await vault.create(record, now: start))
        let read = try #require(try await vault.load(id, now: start, fromStore: true))
        #expect(try await vault.end(id) != nil)  // logout while the provider answers
        #expect(try await vault.replace(id, record: read, now: start, fence: nil) == false)
        #expect(try await vault.load(id, now: start) == nil)
        #expect(await store.keys(subject: "user-1").isEmpty)
    }
}

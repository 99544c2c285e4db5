import Foundation
import GatehouseOAuth
import GatehouseServer
import GatehouseSessions
import Testing

/// The idle timeout expires a session silently (Redis just drops the key): a stream on it must
/// still close, by its timer at the session's expiry. The memory store expires keys the same way.
@Suite("Session streams: closed by the idle timeout too")
struct SessionStreamsTests {
    static func record(now: Date) -> SessionRecord {
        SessionRecord(
            subject: "user-1", providerSessionID: nil, claims: [:], idToken: IDToken("id.token.x"), accessToken: AccessToken("at"),
            accessTokenExpiresAt: nil, refreshToken: nil, scopes: ["openid"], createdAt: now, lastSeenAt: now,
            absoluteExpiresAt: now.addingTimeInterval(3600)
        )
    }

    /// Whether `body` returned within `limit`.
    static func returns(within limit: Duration, _ body: @escaping @Sendable () async -> Void) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                await body()
                return true
            }
            group.addTask {
                try? await Task.sleep(for: limit)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }

    @Test("a stream on a session that expires unused ends shortly after the idle timeout; one on a session still in use does not")
    func idleTimeout() async throws {
        let store = MemorySessionStore()
        let idle = Duration.seconds(1)
        let vault = SessionVault(
            store: store, cipher: try SessionCipher(keys: [try SessionCipherKey(bytes: [UInt8](repeating: 7, count: 32))]),
            timeouts: SessionTimeouts(idle: idle, absolute: .seconds(3600))
        )
        let streams = SessionStreams(vault: vault, idleTimeout: idle)
        let now = Date()
        let unused = try #require(try await vault.create(Self.record(now: now), now: now))
        // Bounds far below the alternative (never, or the 30-minute default), far above the expected
        // second or so: a loaded machine can stall a test's tasks for many seconds.
        #expect(await Self.returns(within: .seconds(60)) {
            await streams.waitForEnd(of: unused.key, record: Self.record(now: now))
        }, "the stream on the expired session ended")

        // A session kept alive by requests (each load slides the idle timeout) keeps its stream past
        // two idle timeouts. A longer idle timeout than above, so that a loaded machine stalling the
        // keep-alive task for a moment does not let the session expire for real.
        let longerIdle = Duration.seconds(3)
        let usedVault = SessionVault(
            store: MemorySessionStore(), cipher: try SessionCipher(keys: [try SessionCipherKey(bytes: [UInt8](repeating: 8, count: 32))]),
            timeouts: SessionTimeouts(idle: longerIdle, absolute: .seconds(3600))
        )
        let usedStreams = SessionStreams(vault: usedVault, idleTimeout: longerIdle)
        let used = try #require(try await usedVault.create(Self.record(now: Date()), now: Date()))
        let keepAlive = Task {
            while !Task.isCancelled {
                _ = try? await usedVault.load(used, now: Date())
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
        defer { keepAlive.cancel() }
        #expect(await Self.returns(within: longerIdle * 2) {
            await usedStreams.waitForEnd(of: used.key, record: Self.record(now: Date()))
        } == false, "still open while the session is in use")
    }

    @Test("a session that ended between its load and the stream's start is not waited on: the stream ends at once")
    func endedBeforeTheStreamStarted() async throws {
        let store = MemorySessionStore()
        let vault = SessionVault(
            store: store, cipher: try SessionCipher(keys: [try SessionCipherKey(bytes: [UInt8](repeating: 9, count: 32))]),
            timeouts: SessionTimeouts(idle: .seconds(1800), absolute: .seconds(3600))
        )
        let streams = SessionStreams(vault: vault, idleTimeout: .seconds(1800))
        let now = Date()
        let id = try #require(try await vault.create(Self.record(now: now), now: now))
        try await vault.end(id)
        #expect(await Self.returns(within: .seconds(60)) {
            await streams.waitForEnd(of: id.key, record: Self.record(now: now))
        }, "not left open until the 30-minute idle timeout")
        #expect(streams.count == 0, "nothing stays registered")
    }
}

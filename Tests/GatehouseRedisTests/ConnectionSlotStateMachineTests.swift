@testable import GatehouseRedis
import NIOCore
import Testing

@Suite("Pool slot state machine and backoff")
struct ConnectionSlotStateMachineTests {
    typealias Machine = ConnectionSlotStateMachine<String, Int>
    let start = NIODeadline.uptimeNanoseconds(1_000_000_000)
    let backoff = Backoff(initial: .milliseconds(100), maximum: .seconds(1))

    @Test("the first lease connects, later ones wait, and all get the connection")
    func connectOnceForManyWaiters() {
        var machine = Machine()
        guard case .connect = machine.lease(1, now: start) else { Issue.record("expected connect"); return }
        guard case .wait = machine.lease(2, now: start) else { Issue.record("expected wait"); return }
        let (waiters, keep) = machine.connected("c1")
        #expect(waiters == [1, 2])
        #expect(keep)
        guard case .use("c1") = machine.lease(3, now: start) else { Issue.record("expected use"); return }
    }

    @Test("after a failed connect callers fail fast until the backoff ends, then it reconnects")
    func backoffThenReconnect() {
        var machine = Machine()
        _ = machine.lease(1, now: start)
        let failed = machine.connectFailed(.connectionRefused(), now: start, backoff: backoff, jitter: 1)
        #expect(failed == [1])
        guard case .fail(let error) = machine.lease(2, now: start + .milliseconds(50)) else { Issue.record("expected fail"); return }
        #expect(error.isConnectionFailure)
        guard case .connect = machine.lease(3, now: start + .milliseconds(101)) else { Issue.record("expected connect"); return }
    }

    @Test("backoff doubles per failure and is capped; jitter only shortens it")
    func backoffGrowth() {
        #expect(backoff.delay(afterFailures: 1, jitter: 1) == .milliseconds(100))
        #expect(backoff.delay(afterFailures: 2, jitter: 1) == .milliseconds(200))
        #expect(backoff.delay(afterFailures: 4, jitter: 1) == .milliseconds(800))
        #expect(backoff.delay(afterFailures: 5, jitter: 1) == .seconds(1))
        #expect(backoff.delay(afterFailures: 500, jitter: 1) == .seconds(1))
        #expect(backoff.delay(afterFailures: 2, jitter: 0.5) == .milliseconds(100))
        #expect(backoff.delay(afterFailures: 2, jitter: 0) == .milliseconds(100))
    }

    @Test("a closed connection makes the next lease reconnect; a stale close is ignored")
    func closedConnection() {
        var machine = Machine()
        _ = machine.lease(1, now: start)
        _ = machine.connected("c1")
        machine.closed(isCurrent: { $0 == "old" })
        guard case .use = machine.lease(2, now: start) else { Issue.record("stale close must not drop c1"); return }
        machine.closed(isCurrent: { $0 == "c1" })
        guard case .connect = machine.lease(3, now: start) else { Issue.record("expected reconnect"); return }
    }

    @Test("shutdown hands back the connection and waiters, then refuses leases")
    func shutdown() {
        var machine = Machine()
        _ = machine.lease(1, now: start)
        _ = machine.lease(2, now: start)
        let (connection, waiters) = machine.shutdown()
        #expect(connection == nil)
        #expect(waiters == [1, 2])
        #expect(machine.connected("late").keep == false)
        guard case .fail(.shutdown) = machine.lease(3, now: start) else { Issue.record("expected shutdown"); return }
    }
}

@Suite("Redis URLs")
struct RedisEndpointTests {
    @Test("user, password, host, port and database are read; the password never shows")
    func fullURL() throws {
        let endpoint = try RedisEndpoint(url: "redis://gate:s3cr%40t@cache.internal:6380/4")
        #expect(endpoint.user == "gate")
        #expect(endpoint.password == "s3cr@t")
        #expect(endpoint.host == "cache.internal")
        #expect(endpoint.port == 6380)
        #expect(endpoint.database == 4)
        #expect(!endpoint.usesTLS)
        #expect(!endpoint.description.contains("s3cr"))
        #expect(endpoint.description == "redis://gate:<redacted>@cache.internal:6380/4")
    }

    @Test("defaults, a password without user, rediss and IPv6")
    func variants() throws {
        let plain = try RedisEndpoint(url: "redis://127.0.0.1")
        #expect(plain.port == 6379 && plain.database == 0 && plain.password == nil)
        let passwordOnly = try RedisEndpoint(url: "redis://:pw@localhost:6379/0")
        #expect(passwordOnly.user == nil && passwordOnly.password == "pw")
        #expect(try RedisEndpoint(url: "rediss://h:1/2").usesTLS)
        #expect(try RedisEndpoint(url: "redis://[::1]:7000/0").host == "::1")
    }

    @Test("bad URLs are refused with a reason that does not echo the URL", arguments: [
        "http://host:6379/0", "redis://", "redis://host:6379/abc", "redis://host:99999/0", "redis://user@host/0", "not a url",
    ])
    func badURLs(url: String) {
        #expect(throws: RedisClientError.self) { try RedisEndpoint(url: url) }
    }
}

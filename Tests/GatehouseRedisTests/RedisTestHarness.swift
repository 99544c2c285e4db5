import GatehouseRedis
import GatehouseTestSupport
import NIOCore

/// Starts a real redis-server and a client on it; stops both afterwards.
func withRedis(
    user: String? = nil,
    password: String? = nil,
    url: ((RedisServer) -> String)? = nil,
    poolSize: Int = 2,
    timeouts: RedisConfiguration.Timeouts = .init(connect: .seconds(2), command: .seconds(2)),
    backoff: Backoff = Backoff(initial: .milliseconds(20), maximum: .milliseconds(200)),
    _ body: (RedisServer, RedisClient) async throws -> Void
) async throws {
    let server = try await RedisServer.start(user: user, password: password)
    defer { server.stop() }
    let endpoint = try RedisEndpoint(url: url?(server) ?? server.url)
    let client = try RedisClient(configuration: RedisConfiguration(endpoint: endpoint, poolSize: poolSize, timeouts: timeouts, backoff: backoff))
    do {
        try await body(server, client)
        await client.shutdown()
    } catch {
        await client.shutdown()
        throw error
    }
}

extension String {
    var bytes: [UInt8] { Array(utf8) }
}

/// Runs `RedisSubscriber`s for a test the way a `ServiceGroup` would, and stops them.
actor SubscriberTasks {
    private var tasks: [Task<Void, Never>] = []

    /// Starts `subscriber` and returns once it is subscribed (or fails after 30 s: a loaded machine).
    func start(_ subscriber: RedisSubscriber) async throws {
        tasks.append(Task { try? await subscriber.run() })
        try await waitUntil("subscribed", limit: .seconds(30)) { subscriber.isSubscribed }
    }

    func stop() async {
        for task in tasks { task.cancel() }
        for task in tasks { await task.value }
        tasks = []
    }
}

struct WaitTimedOut: Error, CustomStringConvertible {
    let what: String
    var description: String { "timed out waiting until \(what)" }
}

/// Test-side polling with a bound: checks `condition` every 20 ms for up to `limit`.
func waitUntil(_ what: String, limit: Duration = .seconds(10), _ condition: () async -> Bool) async throws {
    let deadline = ContinuousClock.now + limit
    while !(await condition()) {
        guard ContinuousClock.now < deadline else { throw WaitTimedOut(what: what) }
        try await Task.sleep(for: .milliseconds(20))
    }
}

import AsyncHTTPClient
import DevOpenIDProvider
import Foundation
import GatehouseRedis
import GatehouseServer
import GatehouseSessions
import GatehouseTestSupport
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle
import Synchronization
import Testing

/// Three Gatehouse replicas, assembled from YAML as `serve` does, sharing one
/// redis-server and the development provider (refresh-token rotation with
/// reuse detection: a second use of a spent refresh token revokes the family).
@Suite("Refresh storm across three replicas", .serialized)
struct RefreshStormTests {
    static let replicaCount = 3
    /// Shorter than the 5 s default, so the lease-renewal test waits for a 3 s token call, not 7 s.
    static let lockLease = Duration.seconds(2)

    /// Where the replicas keep their sessions.
    enum Store: String, CaseIterable, Sendable {
        case redis = "one redis-server"
        case cluster = "a 3-node Redis Cluster"
    }

    @Test("300 concurrent calls over three replicas after expiry: all succeed, one refresh grant; the next refresh works; a logout is 401 on every replica", arguments: Store.allCases)
    func storm(on store: Store) async throws {
        let redisCluster = store == .cluster ? try await RedisClusterSetup.start(nodes: 3) : nil
        defer { redisCluster?.stop() }
        try await withReplicas(store: redisCluster?.url) { cluster in
            // Refreshed tokens live long enough that a slow run cannot make them due again mid-storm.
            await cluster.provider.setLifetimes(.init(accessToken: .seconds(7)))
            try await cluster.waitUntilDue(lifetime: cluster.loginAccessLifetime)
            let (statuses, tokens) = try await cluster.storm(calls: 300)
            #expect(statuses == [200: 300], "every call succeeds")
            #expect(await cluster.provider.currentGrantCounts().refreshToken == 1, "one refresh at the provider, across replicas")
            #expect(tokens.count == 1, "every call carried the same, refreshed token")

            // The rotated refresh token is the one stored: the next refresh still works.
            try await cluster.waitUntilDue(lifetime: .seconds(7), since: cluster.lastRefresh)
            let (after, _) = try await cluster.storm(calls: 30)
            #expect(after == [200: 30])
            #expect(await cluster.provider.currentGrantCounts().refreshToken == 2)

            #expect(try await cluster.logout(on: 1) == .ok)
            // One redis-server tells every subscriber before the logout is answered. On a cluster the
            // announcement reaches subscribers on other nodes over the cluster bus, milliseconds
            // later: allowed up to 1 s, well inside the 2 s for which a replica reuses a session it
            // read, so a lost announcement still fails here.
            var (ended, _) = try await cluster.storm(calls: 6)
            let deadline = ContinuousClock.now + .seconds(1)
            while store == .cluster && ended != [401: 6] && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
                (ended, _) = try await cluster.storm(calls: 6)
            }
            #expect(ended == [401: 6], "no replica serves the ended session")
        }
    }

    @Test("a token endpoint slower than the lock lease: the lease is renewed, still one refresh grant")
    func slowerThanTheLease() async throws {
        try await withReplicas { cluster in
            await cluster.provider.setLifetimes(.init(accessToken: .seconds(60)))
            try await cluster.waitUntilDue(lifetime: cluster.loginAccessLifetime)
            // Without renewal a second replica would take the lock when the lease ends, mid-call.
            await cluster.provider.setTokenLatency(RefreshStormTests.lockLease + .seconds(1))
            let (statuses, _) = try await cluster.storm(calls: 60)
            await cluster.provider.setTokenLatency(.zero)
            #expect(statuses == [200: 60])
            #expect(await cluster.provider.currentGrantCounts().refreshToken == 1)
            let (after, _) = try await cluster.storm(calls: 3)
            #expect(after == [200: 3], "the family was not revoked by a reused refresh token")
        }
    }

    @Test("a logout on one replica ends the session on the others at once, though they read it a moment ago")
    func logoutReachesEveryReplica() async throws {
        try await withReplicas { cluster in
            let (warm, _) = try await cluster.storm(calls: 6)
            #expect(warm == [200: 6], "each replica has read (and cached) the session")
            #expect(try await cluster.logout(on: 1) == .ok)
            let (after, _) = try await cluster.storm(calls: 6)
            #expect(after == [401: 6], "no replica serves the ended session from its cache")
        }
    }

    @Test("invalid_grant seen by one replica ends the session on all of them")
    func invalidGrantEverywhere() async throws {
        try await withReplicas { cluster in
            try await cluster.waitUntilDue(lifetime: cluster.loginAccessLifetime)
            await cluster.provider.forceNextTokenResponses([.invalidGrant])
            let (statuses, _) = try await cluster.storm(calls: 30)
            #expect(statuses == [401: 30])
            #expect(await cluster.provider.currentGrantCounts().refreshToken <= 1)
            let (later, _) = try await cluster.storm(calls: 3)
            #expect(later == [401: 3], "the session is gone on every replica")
        }
    }
}

/// The cluster under test.
struct ReplicaCluster: Sendable {
    let provider: DevOpenIDProvider
    /// The SPA's origin, the same for every replica (as behind a load balancer).
    let publicURL: String
    let urls: [String]
    let cookie: String
    let http: HTTPClient
    /// The lifetime of the token the login got.
    let loginAccessLifetime: Duration
    let loggedInAt: ContinuousClock.Instant
    let refreshes = RefreshClock()

    /// When the last storm saw its first answer (the refreshed token was issued before it).
    var lastRefresh: ContinuousClock.Instant { refreshes.last ?? loggedInAt }

    /// Waits until a token of `lifetime` issued at `since` is inside `refresh_before_expiry` (1 s) of its end.
    func waitUntilDue(lifetime: Duration, since: ContinuousClock.Instant? = nil) async throws {
        let due = (since ?? loggedInAt) + lifetime - .milliseconds(500)
        try await Task.sleep(until: due, clock: .continuous)
    }

    /// `POST /bff/logout` on replica `index`; its status.
    func logout(on index: Int) async throws -> HTTPResponseStatus {
        var logout = HTTPClientRequest(url: urls[index] + "/bff/logout")
        logout.method = .POST
        logout.headers.add(name: "Cookie", value: "gatehouse=\(cookie)")
        logout.headers.add(name: "X-CSRF", value: "1")
        return try await http.execute(logout, timeout: .seconds(30)).status
    }

    /// `calls` concurrent GETs, round-robin over the replicas; status counts and the distinct bearer tokens the upstream saw.
    func storm(calls: Int, path: String = "/api/echo") async throws -> ([Int: Int], Set<String>) {
        try await withThrowingTaskGroup(of: (Int, String?).self) { group in
            for index in 0..<calls {
                let url = urls[index % urls.count] + path
                group.addTask {
                    var request = HTTPClientRequest(url: url)
                    request.headers.add(name: "Cookie", value: "gatehouse=\(cookie)")
                    request.headers.add(name: "X-CSRF", value: "1")
                    let response = try await http.execute(request, timeout: .seconds(60))
                    let body = try await response.body.collect(upTo: 1 << 20)
                    let seen = try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: String]
                    return (Int(response.status.code), seen?["authorization"])
                }
            }
            var statuses: [Int: Int] = [:]
            var tokens: Set<String> = []
            for try await (status, authorization) in group {
                if statuses.isEmpty { refreshes.mark() }
                statuses[status, default: 0] += 1
                if let authorization { tokens.insert(authorization) }
            }
            return (statuses, tokens)
        }
    }
}

/// Starts redis-server, the provider, an echo upstream and three replicas; signs in once.
/// - Parameters:
///   - store: the replicas' `session.store`; by default a redis-server started here.
///   - webSocketUpstream: with a port, the replicas also proxy WebSockets on `/ws/` to it.
func withReplicas(
    store: String? = nil, lockLease: Duration = RefreshStormTests.lockLease, webSocketUpstream: Int? = nil, extraRoutes: [String] = [], dpop: Bool = false,
    _ body: @Sendable (ReplicaCluster) async throws -> Void
) async throws {
    let redis: RedisServer? = store == nil ? try await RedisServer.start() : nil
    defer { redis?.stop() }
    let storeURL = store ?? redis!.url
    let ports = try (0..<RefreshStormTests.replicaCount).map { _ in (try freeLoopbackPort(), try freeLoopbackPort()) }
    let upstreamPort = try freeLoopbackPort()
    let publicURL = "http://127.0.0.1:\(ports[0].0)"
    let client = DevOpenIDProvider.Client(id: "storm", secret: "storm-secret", redirectURIs: ["\(publicURL)/bff/callback"], postLogoutRedirectURIs: ["\(publicURL)/"])
    let accessLifetime = Duration.seconds(3)
    let provider = try DevOpenIDProvider(configuration: .init(clients: [client], lifetimes: .init(accessToken: accessLifetime)))
    var quiet = Logger(label: "storm-test")
    quiet.logLevel = .warning
    let (ready, continuation) = AsyncStream<String>.makeStream()
    let providerApp = provider.makeApplication(host: "127.0.0.1", port: 0, logger: quiet) { continuation.yield($0) }
    let backgroundGroup = ServiceGroup(configuration: .init(services: [providerApp, ServeFromConfigurationTests.echoUpstream(port: upstreamPort)], logger: quiet))
    var httpConfiguration = HTTPClient.Configuration(redirectConfiguration: .disallow)
    httpConfiguration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 100
    let http = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: httpConfiguration)
    let browser = TestBrowser()
    do {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await backgroundGroup.run() }
            defer { group.cancelAll() }
            let issuer = try #require(await GatehouseHarness.firstValue(ready))
            let key = Data((0..<32).map { UInt8($0) }).base64EncodedString()
            var replicaGroups: [ServiceGroup] = []
            for (port, adminPort) in ports {
                let yaml = """
                    listen: 127.0.0.1:\(port)
                    admin_listen: 127.0.0.1:\(adminPort)
                    public_url: \(publicURL)
                    oidc:
                      issuer: \(issuer)
                      client_id: storm
                      client_secret: storm-secret
                      dpop: \(dpop)
                    session:
                      store: \(storeURL)
                      refresh_before_expiry: 1s
                      encryption_keys: ["\(key)"]
                    routes:
                      - path: /api/
                        upstream: http://127.0.0.1:\(upstreamPort)/
                    \(webSocketUpstream.map { "  - {path: /ws/, upstream: 'http://127.0.0.1:\($0)/', strip_prefix: true, websocket: true}" } ?? "")
                    \(extraRoutes.map { "  - " + $0.replacingOccurrences(of: "UPSTREAM", with: "http://127.0.0.1:\(upstreamPort)/") }.joined(separator: "\n"))
                    """
                var configuration = try ConfigurationLoader(environment: [:]).load(yaml: yaml)
                configuration.timings.refreshLockLease = lockLease
                let redis = try RedisSessions(endpoint: try RedisEndpoint(url: storeURL), logger: quiet)
                let (store, lock, client) = (redis.store, redis.lock, redis.client)
                let endings = SessionEndings()
                let endedSessions = store.endedSessions(announcingTo: endings, logger: quiet)
                let (up, upContinuation) = AsyncStream<String>.makeStream()
                let sessions = SessionBackend(store: store, refreshLock: lock, endings: endings, services: [client, lock.subscriber, endedSessions])
                let server = try buildApplication(
                    configuration: configuration, sessions: sessions, logger: quiet,
                    onPublicServerRunning: { _ in upContinuation.yield("up") }
                )
                let replica = ServiceGroup(configuration: .init(services: server.services, logger: quiet))
                replicaGroups.append(replica)
                group.addTask { try await replica.run() }
                _ = try #require(await GatehouseHarness.firstValue(up))
                // Serve only once the provider metadata is loaded, like a readiness gate.
                try await waitUntilReady(browser: browser, admin: "http://127.0.0.1:\(adminPort)")
            }
            let login = try await browser.get(publicURL + "/bff/login")
            let page = try await browser.get(try #require(login.location))
            let requestID = try #require(GatehouseHarness.hiddenField("request_id", in: page.body))
            let toCallback = try await browser.post(issuer + "/authorize", form: [("request_id", requestID), ("username", "demo"), ("password", "demo"), ("action", "login")])
            #expect(try await browser.get(try #require(toCallback.location)).status == 302)
            let loggedInAt = ContinuousClock.now
            let cookie = try #require(browser.cookies(for: publicURL)["gatehouse"])
            let cluster = ReplicaCluster(
                provider: provider, publicURL: publicURL, urls: ports.map { "http://127.0.0.1:\($0.0)" }, cookie: cookie, http: http,
                loginAccessLifetime: accessLifetime, loggedInAt: loggedInAt
            )
            await provider.resetGrantCounts()
            do {
                try await body(cluster)
            } catch {
                for replica in replicaGroups { await replica.triggerGracefulShutdown() }
                await backgroundGroup.triggerGracefulShutdown()
                throw error
            }
            for replica in replicaGroups { await replica.triggerGracefulShutdown() }
            await backgroundGroup.triggerGracefulShutdown()
        }
    } catch {
        try? await browser.shutdown()
        try? await http.shutdown()
        throw error
    }
    try await browser.shutdown()
    try await http.shutdown()
}

/// When each storm got its first answer.
final class RefreshClock: Sendable {
    private let instants = Mutex<[ContinuousClock.Instant]>([])
    func mark() { instants.withLock { $0.append(.now) } }
    var last: ContinuousClock.Instant? { instants.withLock { $0.last } }
}

private func waitUntilReady(browser: TestBrowser, admin: String) async throws {
    for _ in 0..<100 {
        if try await browser.get(admin + "/readyz").status == 200 { return }
        try await Task.sleep(for: .milliseconds(100))
    }
    Issue.record("replica at \(admin) never became ready")
}

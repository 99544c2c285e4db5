import AsyncHTTPClient
import DevOpenIDProvider
import Foundation
import GatehouseOAuth
import GatehouseRedis
@testable import GatehouseServer
import GatehouseSessions
import GatehouseTestSupport
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization
import Testing

/// Gatehouse, a real redis-server and the development provider, all on
/// 127.0.0.1, with a cookie-keeping browser. Each test gets its own set.
struct GatehouseHarness: Sendable {
    static let clientID = "gatehouse-test"
    static let clientSecret = "t3st:secret+with%&spaces ="
    /// A second user, for what one user must not see of another's.
    static let otherUser = DevOpenIDProvider.User(
        username: "erin", password: "erin", subject: "erin-0002", name: "Erin", email: "erin@example.com", groups: ["staff", "orders-admins"]
    )
    /// The one audience the provider exchanges tokens for; any other is refused (`invalid_target`).
    static let exchangeAudience = "https://orders.example.com"

    let provider: DevOpenIDProvider
    let issuer: String
    let gatehouse: String
    /// The admin listener's origin.
    let admin: String
    let redis: RedisServer
    let redisClient: RedisClient
    let browser: TestBrowser
    /// The configuration as loaded from the harness's YAML, after `configure`.
    let configuration: GatehouseConfiguration
    /// The YAML the configuration came from; what ``reloader`` reads (without `configure`'s changes).
    let file: ConfigText
    /// Reloads from ``file``, as `SIGHUP` does from the file on disk.
    let reloader: ConfigurationReloader
    /// Gatehouse's tracer, when `configure` turned telemetry on.
    let tracing: RequestTracing?

    /// Runs `body` with everything up; tears it all down afterwards.
    static func run(
        configure: @Sendable (inout GatehouseConfiguration) -> Void = { _ in },
        routes: (@Sendable (_ upstream: URL) -> [Route])? = nil,
        provider configureProvider: @Sendable (inout DevOpenIDProvider.Configuration) -> Void = { _ in },
        logger: Logger? = nil,
        alongside services: [any Service] = [],
        _ body: @Sendable (GatehouseHarness) async throws -> Void
    ) async throws {
        let redis = try await RedisServer.start()
        defer { redis.stop() }
        let port = try freeLoopbackPort()
        let upstreamPort = try freeLoopbackPort()
        let adminPort = try freeLoopbackPort()
        let gatehouseURL = "http://127.0.0.1:\(port)"
        let client = DevOpenIDProvider.Client(
            id: clientID, secret: clientSecret,
            redirectURIs: ["\(gatehouseURL)/bff/callback"],
            postLogoutRedirectURIs: ["\(gatehouseURL)/"],
            backchannelLogoutURI: "\(gatehouseURL)/bff/backchannel-logout"
        )
        var providerConfiguration = DevOpenIDProvider.Configuration(clients: [client], users: [.demo, otherUser], tokenExchangeAudiences: [exchangeAudience])
        configureProvider(&providerConfiguration)
        let provider = try DevOpenIDProvider(configuration: providerConfiguration)
        var quiet = Logger(label: "test")
        quiet.logLevel = .warning

        let (providerReady, providerContinuation) = AsyncStream<String>.makeStream()
        let providerApp = provider.makeApplication(host: "127.0.0.1", port: 0, logger: quiet) { providerContinuation.yield($0) }
        let redisClient = try RedisClient(configuration: RedisConfiguration(endpoint: RedisEndpoint(url: redis.url)), logger: quiet)
        let browser = TestBrowser()

        let providerGroup = ServiceGroup(configuration: .init(services: [providerApp, ServeFromConfigurationTests.echoUpstream(port: upstreamPort)] + services, logger: quiet))
        do {
            try await runAll(providerGroup: providerGroup, providerReady: providerReady, port: port, adminPort: adminPort, gatehouseURL: gatehouseURL, upstreamPort: upstreamPort,
                             provider: provider, redis: redis, redisClient: redisClient, browser: browser, quiet: quiet, logger: logger ?? quiet, configure: configure, routes: routes, body)
        } catch {
            await providerGroup.triggerGracefulShutdown()
            await shutdown(browser: browser, redis: redisClient)
            throw error
        }
        await providerGroup.triggerGracefulShutdown()
        await shutdown(browser: browser, redis: redisClient)
    }

    private static func runAll(
        providerGroup: ServiceGroup, providerReady: AsyncStream<String>, port: Int, adminPort: Int, gatehouseURL: String, upstreamPort: Int,
        provider: DevOpenIDProvider, redis: RedisServer, redisClient: RedisClient, browser: TestBrowser, quiet: Logger, logger: Logger,
        configure: @Sendable (inout GatehouseConfiguration) -> Void,
        routes makeRoutes: (@Sendable (_ upstream: URL) -> [Route])?,
        _ body: @Sendable (GatehouseHarness) async throws -> Void
    ) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await providerGroup.run() }
            defer { group.cancelAll() }
            guard let issuer = await firstValue(providerReady) else { throw HarnessError("provider did not start") }

            let upstream = URL(string: "http://127.0.0.1:\(upstreamPort)/")!
            let routes = makeRoutes?(upstream) ?? [Route(path: "/api/", upstream: upstream)]
            // Through the YAML loader, like `gatehouse serve`; the harness only tunes what has no key.
            let yaml = """
                listen: 127.0.0.1:\(port)
                admin_listen: 127.0.0.1:\(adminPort)
                public_url: \(gatehouseURL)
                static_dir: \(FileManager.default.temporaryDirectory.appending(path: "gatehouse-harness-no-spa").path)
                oidc:
                  issuer: \(issuer)
                  client_id: \(clientID)
                  client_secret: "\(clientSecret)"
                session:
                  store: \(redis.url)
                  idle_timeout: 10m
                  absolute_timeout: 1h
                  encryption_keys: ["\(SessionCipherKey.generateBase64())"]
                routes:
                \(routes.map(Self.yaml).joined(separator: "\n"))
                """
            var configuration = try ConfigurationLoader(environment: [:]).load(yaml: yaml)
            configure(&configuration)
            let file = ConfigText(yaml)
            let store = RedisSessionStore(client: redisClient)
            let lock = RedisRefreshLock(client: redisClient, logger: quiet)
            let endings = SessionEndings()
            let sessions = SessionBackend(
                store: store, refreshLock: lock, endings: endings,
                services: [lock.subscriber, store.endedSessions(announcingTo: endings, logger: quiet)]
            )
            let (gatehouseReady, gatehouseContinuation) = AsyncStream<String>.makeStream()
            let server = try buildApplication(
                configuration: configuration, sessions: sessions, logger: logger,
                reload: { () throws(ConfigurationError) in try ConfigurationLoader(environment: [:]).load(yaml: file.text) },
                onPublicServerRunning: { _ in gatehouseContinuation.yield(gatehouseURL) }
            )
            // Like the service's own retry loop: a loaded machine may drop the first fetch.
            var loaded = false
            for _ in 0..<10 where !loaded {
                loaded = await server.provider.refresh()
                if !loaded { try await Task.sleep(for: .milliseconds(200)) }
            }
            guard loaded else { throw HarnessError("provider metadata did not load") }
            let gatehouseGroup = ServiceGroup(configuration: .init(services: server.services, logger: quiet))
            group.addTask { try await gatehouseGroup.run() }
            guard await firstValue(gatehouseReady) != nil else { throw HarnessError("gatehouse did not start") }

            let harness = GatehouseHarness(
                provider: provider, issuer: issuer, gatehouse: gatehouseURL, admin: "http://127.0.0.1:\(adminPort)", redis: redis,
                redisClient: redisClient, browser: browser, configuration: configuration, file: file, reloader: try #require(server.reloader), tracing: server.tracing
            )
            do {
                try await body(harness)
            } catch {
                await gatehouseGroup.triggerGracefulShutdown()
                throw error
            }
            await gatehouseGroup.triggerGracefulShutdown()
        }
    }

    /// One `routes:` entry of the YAML file.
    static func yaml(_ route: Route) -> String {
        let milliseconds = route.timeout.components.seconds * 1000 + route.timeout.components.attoseconds / 1_000_000_000_000_000
        return """
              - path: \(route.path)
                upstream: \(route.upstream.absoluteString)
                token: \(route.token.rawValue)
                methods: [\(route.methods.map(\.rawValue).joined(separator: ", "))]
                strip_prefix: \(route.stripPrefix)
                timeout: \(milliseconds)ms
                websocket: \(route.websocket)
            """ + requirementsYAML(route)
    }

    /// The route's `require` and `audience` keys, as flow-style YAML lines.
    private static func requirementsYAML(_ route: Route) -> String {
        var lines: [String] = []
        if let rules = route.require {
            lines.append("    require:")
            if !rules.claims.isEmpty {
                lines.append("      claims: {" + rules.claims.sorted { $0.key < $1.key }.map { "\($0.key): [\($0.value.joined(separator: ", "))]" }.joined(separator: ", ") + "}")
            }
            if !rules.scopes.isEmpty { lines.append("      scopes: [\(rules.scopes.joined(separator: ", "))]") }
            if !rules.acr.isEmpty { lines.append("      acr: [\"\(rules.acr.joined(separator: "\", \""))\"]") }
            if let maxAge = rules.maxAge { lines.append("      max_age: \(maxAge.components.seconds)s") }
        }
        if let audience = route.audience { lines.append("    audience: \(audience)") }
        if let tls = route.tls {
            let keys = [("ca_file", tls.caFile), ("cert_file", tls.certificateFile), ("key_file", tls.keyFile)].compactMap { key, value in value.map { "\(key): \($0)" } }
            lines.append("    tls: {\(keys.joined(separator: ", "))}")
        }
        return lines.map { "\n" + $0 }.joined()
    }

    private static func shutdown(browser: TestBrowser, redis: RedisClient) async {
        try? await browser.shutdown()
        await redis.shutdown()
    }

    /// The first value, or `nil` when the stream ends or 30 s pass.
    static func firstValue(_ stream: AsyncStream<String>) async -> String? {
        await withTaskGroup(of: String?.self) { group in
            group.addTask { for await value in stream { return value }; return nil }
            group.addTask { try? await Task.sleep(for: .seconds(30)); return nil }
            let value = await group.next() ?? nil
            group.cancelAll()
            return value
        }
    }

    // MARK: The browser's side of the flow

    /// `/bff/login` → provider login page; returns the login page and the state sent.
    func startLogin(returnURL: String? = "/after", in browser: TestBrowser? = nil) async throws -> (page: TestBrowser.Page, state: String) {
        let browser = browser ?? self.browser
        let query = returnURL.map { "?returnUrl=" + ($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0) } ?? ""
        let login = try await browser.get(gatehouse + "/bff/login" + query)
        guard login.status == 302, let location = login.location else { throw HarnessError("login answered \(login.status): \(login.body)") }
        let state = URLComponents(string: location)?.queryItems?.first { $0.name == "state" }?.value ?? ""
        let page = try await browser.get(location)
        return (page, state)
    }

    /// Submits the provider's login form; returns the provider's redirect to the callback (not followed).
    func submitLogin(_ page: TestBrowser.Page, action: String = "login", as user: DevOpenIDProvider.User = .demo, in browser: TestBrowser? = nil) async throws -> TestBrowser.Page {
        let browser = browser ?? self.browser
        guard let requestID = Self.hiddenField("request_id", in: page.body) else { throw HarnessError("no login form: \(page.body.prefix(200))") }
        return try await browser.post(issuer + "/authorize", form: [("request_id", requestID), ("username", user.username), ("password", user.password), ("action", action)])
    }

    /// The whole login; returns Gatehouse's answer to the callback (not followed).
    @discardableResult
    func login(returnURL: String? = "/after", as user: DevOpenIDProvider.User = .demo, in browser: TestBrowser? = nil) async throws -> TestBrowser.Page {
        let browser = browser ?? self.browser
        let (page, _) = try await startLogin(returnURL: returnURL, in: browser)
        let toCallback = try await submitLogin(page, as: user, in: browser)
        guard let callback = toCallback.location else { throw HarnessError("provider did not redirect: \(toCallback.status)") }
        return try await browser.get(callback, headers: [("User-Agent", "GatehouseHarness/1.0 (\(user.username))")])
    }

    /// `GET /bff/user` with the CSRF header.
    func user() async throws -> TestBrowser.Page {
        try await browser.get(gatehouse + "/bff/user", headers: [("X-CSRF", "1")])
    }

    var sessionCookie: String? { browser.cookies(for: gatehouse)[configuration.session.cookieName] }

    static func hiddenField(_ name: String, in html: String) -> String? {
        guard let range = html.range(of: "name=\"\(name)\" value=\"") else { return nil }
        let rest = html[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }
}

struct HarnessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// YAML text a test rewrites before it asks for a reload.
final class ConfigText: Sendable {
    private let value: Mutex<String>

    init(_ text: String) {
        value = Mutex(text)
    }

    var text: String {
        get { value.withLock { $0 } }
        set { value.withLock { $0 = newValue } }
    }

    /// Replaces `old` (which must occur) with `new`.
    func replace(_ old: String, with new: String) throws {
        try #require(text.contains(old), "the YAML holds \(old)")
        text = text.replacingOccurrences(of: old, with: new)
    }
}

import AsyncHTTPClient
import DevOpenIDProvider
import Foundation
import GatehouseServer
import GatehouseRedis
import GatehouseTestSupport
import HTTPTypes
import Hummingbird
import Logging
import NIOPosix
import GatehouseSessions
import ServiceLifecycle
import Testing

@Suite("Gatehouse assembled from a YAML configuration, as `gatehouse serve` runs it")
struct ServeFromConfigurationTests {
    /// An upstream that answers with what it received, as JSON.
    static func echoUpstream(port: Int) -> some ApplicationProtocol {
        TestSurroundings.upstream(port: port, label: "echo") { router in
            ProxyTestUpstream.addRoutes(to: router)
            router.get("/api/echo") { request, _ -> Response in
                let seen: [String: String] = [
                    "authorization": request.headers[.authorization] ?? "",
                    "cookie": request.headers[.cookie] ?? "",
                    "path": request.uri.path,
                    "traceparent": request.headers[HTTPField.Name("traceparent")!] ?? "",
                    "tracestate": request.headers[HTTPField.Name("tracestate")!] ?? "",
                ]
                let data = try JSONSerialization.data(withJSONObject: seen)
                return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
            }
        }
    }

    @Test("serve: health, readiness, the SPA, login and a proxied call; readiness says why when Redis dies")
    func serve() async throws {
        let redis = try await RedisServer.start()
        defer { redis.stop() }
        let (port, adminPort, upstreamPort) = (try freeLoopbackPort(), try freeLoopbackPort(), try freeLoopbackPort())
        let publicURL = "http://127.0.0.1:\(port)"
        let client = DevOpenIDProvider.Client(id: "serve-test", secret: "serve-secret", redirectURIs: ["\(publicURL)/bff/callback"], postLogoutRedirectURIs: ["\(publicURL)/"])
        let provider = try DevOpenIDProvider(configuration: .init(clients: [client]))
        var quiet = Logger(label: "serve-test")
        quiet.logLevel = .warning
        let (ready, continuation) = AsyncStream<String>.makeStream()
        let providerApp = provider.makeApplication(host: "127.0.0.1", port: 0, logger: quiet) { continuation.yield($0) }
        let publicFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Public").path

        let providerGroup = ServiceGroup(configuration: .init(services: [providerApp, Self.echoUpstream(port: upstreamPort)], logger: quiet))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await providerGroup.run() }
            defer { group.cancelAll() }
            let issuer = try #require(await GatehouseHarness.firstValue(ready))
            let yaml = """
                listen: 127.0.0.1:\(port)
                admin_listen: 127.0.0.1:\(adminPort)
                public_url: \(publicURL)
                static_dir: \(publicFolder)
                oidc:
                  issuer: \(issuer)
                  client_id: serve-test
                  client_secret: serve-secret
                session:
                  store: \(redis.url)
                  encryption_keys: ["\(Data((0..<32).map { UInt8($0) }).base64EncodedString())"]
                routes:
                  - path: /api/
                    upstream: http://127.0.0.1:\(upstreamPort)/
                """
            let configuration = try ConfigurationLoader(environment: [:]).load(yaml: yaml)
            let redisClient = try RedisClient(configuration: RedisConfiguration(endpoint: RedisEndpoint(url: redis.url)), logger: quiet)
            let (up, upContinuation) = AsyncStream<String>.makeStream()
            let sessions = SessionBackend(
                store: RedisSessionStore(client: redisClient), refreshLock: RedisRefreshLock(client: redisClient, logger: quiet), endings: SessionEndings(),
                readiness: {
                    do { try await redisClient.ping(); return nil } catch { return "\(error)" }
                },
                connectedConnections: { redisClient.connectedConnections },
                services: [redisClient]
            )
            let server = try buildApplication(
                configuration: configuration, sessions: sessions, logger: quiet,
                onPublicServerRunning: { _ in upContinuation.yield("up") }
            )
            let gatehouseGroup = ServiceGroup(configuration: .init(services: server.services, logger: quiet))
            group.addTask { try await gatehouseGroup.run() }
            #expect(await GatehouseHarness.firstValue(up) != nil)
            let browser = TestBrowser()
            let admin = "http://127.0.0.1:\(adminPort)"

            #expect(try await browser.get(admin + "/healthz").status == 200)
            var readiness = try await browser.get(admin + "/readyz")
            for _ in 0..<50 where readiness.status != 200 {
                try await Task.sleep(for: .milliseconds(100))
                readiness = try await browser.get(admin + "/readyz")
            }
            #expect(readiness.status == 200)

            let index = try await browser.get(publicURL + "/some/client/route")
            #expect(index.status == 200)
            #expect(index.body.contains("Gatehouse demo"))
            #expect(index.headers.first(name: "Content-Security-Policy")?.contains("default-src 'self'") == true)

            #expect(try await browser.get(publicURL + "/api/echo", headers: [("X-CSRF", "1")]).status == 401)
            let login = try await browser.get(publicURL + "/bff/login?returnUrl=/x")
            let page = try await browser.get(try #require(login.location))
            let requestID = try #require(GatehouseHarness.hiddenField("request_id", in: page.body))
            let toCallback = try await browser.post(issuer + "/authorize", form: [("request_id", requestID), ("username", "demo"), ("password", "demo"), ("action", "login")])
            #expect(try await browser.get(try #require(toCallback.location)).status == 302)

            let echo = try await browser.get(publicURL + "/api/echo", headers: [("X-CSRF", "1"), ("Authorization", "Bearer forged-by-the-browser")])
            #expect(echo.status == 200)
            let seen = try #require(try JSONSerialization.jsonObject(with: Data(echo.body.utf8)) as? [String: String])
            #expect(seen["authorization"]?.hasPrefix("Bearer ") == true)
            #expect(seen["authorization"] != "Bearer forged-by-the-browser", "a browser's Authorization is never forwarded")
            #expect(seen["cookie"]?.contains("gatehouse") != true, "Gatehouse's cookies never reach the upstream")
            #expect(try await browser.get(publicURL + "/api/echo").status == 403, "CSRF header required on API routes")
            #expect(try await browser.send(publicURL + "/api/echo", method: .OPTIONS, headers: [("X-CSRF", "1")]).status == 405)

            await redis.kill()
            let notReady = try await browser.get(admin + "/readyz")
            #expect(notReady.status == 503)
            #expect(notReady.body.contains("session store"))
            #expect(try await browser.get(publicURL + "/bff/user", headers: [("X-CSRF", "1")]).status == 503)

            let metrics = try await browser.get(admin + "/metrics")
            #expect(metrics.status == 200)
            let text = metrics.body
            #expect(text.contains(#"gatehouse_http_requests_total{route="api:/api/",status="200"} 1"#))
            #expect(text.contains(#"gatehouse_http_requests_total{route="api:/api/",status="401"} 1"#))
            #expect(text.contains(#"gatehouse_http_requests_total{route="bff:user",status="503"} 1"#))
            #expect(text.contains(#"gatehouse_logins_total{result="ok"} 1"#))
            #expect(text.contains(#"gatehouse_upstream_duration_seconds_bucket{route="/api/""#))
            #expect(text.contains("gatehouse_session_store_errors_total 1"))
            for gauge in ["gatehouse_redis_connections", "gatehouse_session_cache_entries 1", "gatehouse_upstream_idle_connections 1"] {
                #expect(text.contains(gauge), "pool gauge \(gauge)")
            }
            let cookie = try #require(browser.cookies(for: publicURL)["gatehouse"])
            #expect(!text.contains(cookie), "no cookie value in metrics")

            try await browser.shutdown()
            await gatehouseGroup.triggerGracefulShutdown()
            await providerGroup.triggerGracefulShutdown()
        }
    }
}

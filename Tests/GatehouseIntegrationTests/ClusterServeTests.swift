import DevOpenIDProvider
import Foundation
import GatehouseTestSupport
import Testing

/// `gatehouse serve` itself on a Redis Cluster: the executable's own wiring of `redis+cluster://`.
@Suite("gatehouse serve on Redis Cluster")
struct ClusterServeTests {
    @Test("serve on redis+cluster:// is ready, signs a user in with the session in the cluster, proxies with it and ends it on logout")
    func serve() async throws {
        let redisCluster = try await RedisClusterSetup.start(nodes: 3)
        defer { redisCluster.stop() }
        let (port, upstreamPort) = (try freeLoopbackPort(), try freeLoopbackPort())
        let publicURL = "http://127.0.0.1:\(port)"
        let client = DevOpenIDProvider.Client(id: "cluster-serve", secret: "cluster-secret", redirectURIs: ["\(publicURL)/bff/callback"], postLogoutRedirectURIs: ["\(publicURL)/"])
        let provider = try DevOpenIDProvider(configuration: .init(clients: [client]))
        try await TestSurroundings.withProvider(provider, alongside: [ServeFromConfigurationTests.echoUpstream(port: upstreamPort)]) { issuer in
            let gatehouse = try await GatehouseProcess.start(port: port) { port, adminPort, directory in
                GatehouseProcess.yaml(
                    port: port, adminPort: adminPort, directory: directory, issuer: issuer, clientID: "cluster-serve", clientSecret: "cluster-secret",
                    store: redisCluster.url
                ) + """
                routes:
                  - path: /api/
                    upstream: http://127.0.0.1:\(upstreamPort)/
                """
            }
            defer { gatehouse.stop() }
            let browser = TestBrowser()
            defer { Task { try? await browser.shutdown() } }
            let admin = "http://127.0.0.1:\(gatehouse.adminPort)"
            var ready = try await browser.get(admin + "/readyz")
            for _ in 0..<100 where ready.status != 200 {
                try await Task.sleep(for: .milliseconds(100))
                ready = try await browser.get(admin + "/readyz")
            }
            #expect(ready.status == 200, "\(ready.body)")

            let login = try await browser.get(publicURL + "/bff/login")
            let page = try await browser.get(try #require(login.location))
            let requestID = try #require(GatehouseHarness.hiddenField("request_id", in: page.body))
            let toCallback = try await browser.post(issuer + "/authorize", form: [("request_id", requestID), ("username", "demo"), ("password", "demo"), ("action", "login")])
            #expect(try await browser.get(try #require(toCallback.location)).status == 302)
            #expect(try await browser.get(publicURL + "/api/echo", headers: [("X-CSRF", "1")]).status == 200)

            var records: [String] = []
            for node in redisCluster.nodes {
                let found = try await redisCluster.cli(["-p", String(node.port), "--scan", "--pattern", "gatehouse:{*}:s"]).output
                records += found.split(separator: "\n").map(String.init)
            }
            #expect(records.count == 1, "one session record, in the cluster's hash-tagged layout: \(records)")

            #expect(try await browser.send(publicURL + "/bff/logout", method: .POST, headers: [("X-CSRF", "1")]).status == 200)
            #expect(try await browser.get(publicURL + "/api/echo", headers: [("X-CSRF", "1")]).status == 401)
        }
    }
}

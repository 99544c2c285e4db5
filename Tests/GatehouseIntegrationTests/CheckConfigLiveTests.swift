import DevOpenIDProvider
import Foundation
import GatehouseTestSupport
import Hummingbird
import Logging
import ServiceLifecycle
import Testing

/// PRODUCT.md "CLI": `gatehouse check-config --live` against a real development provider, a real
/// redis-server and a real upstream, each also unreachable (a port nothing listens on), and a
/// wrong client secret: every line is PASS or FAIL with a fix, the exit code follows, no secret.
@Suite("check-config --live: the provider, the client's credentials, Redis and every upstream")
struct CheckConfigLiveTests {
    static let secret = "live-check:s3cret"

    struct Run {
        var status: Int32
        var output: String
        func line(_ subject: String) -> String { output.split(separator: "\n").first { $0.contains("  \(subject)") && ["PASS", "FAIL", "SKIP"].contains($0.prefix(4)) }.map(String.init) ?? "(no line for \(subject))" }
    }

    /// Runs the binary on the YAML and returns its exit status and everything it printed.
    static func checkLive(_ yaml: String) async throws -> Run {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-check-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("gatehouse.yaml")
        try yaml.replacingOccurrences(of: "STATIC", with: directory.path).write(to: file, atomically: true, encoding: .utf8)
        let output = directory.appendingPathComponent("output.txt")
        let process = try ChildProcess(executable: GatehouseProcess.binary, arguments: ["check-config", "--live", "--config", file.path], outputPath: output.path)
        guard await process.waitForExit(limit: .seconds(60)) else {
            process.killAndReap()
            throw HarnessError("check-config --live did not end within 60 s")
        }
        return Run(status: process.terminationStatus, output: (try? String(contentsOf: output, encoding: .utf8)) ?? "")
    }

    static func yaml(issuer: String, secret: String = secret, redis: String, upstreams: [String], collector: String? = nil) -> String {
        (collector.map { "telemetry:\n  otlp_endpoint: \($0)\n" } ?? "") + """
        listen: 127.0.0.1:8080
        public_url: http://127.0.0.1:8080
        static_dir: STATIC
        oidc:
          issuer: \(issuer)
          client_id: live-check
          client_secret: "\(secret)"
        session:
          store: \(redis)
          encryption_keys: ["\(Data(repeating: 9, count: 32).base64EncodedString())"]
        routes:
        \(upstreams.enumerated().map { "  - path: /r\($0.offset)/\n    upstream: \($0.element)" }.joined(separator: "\n"))
        """
    }

    static func upstream(port: Int) -> some ApplicationProtocol {
        TestSurroundings.upstream(port: port, label: "live-upstream") { router in
            router.get("/**") { _, _ in "up" }
        }
    }

    @Test("everything reachable passes (exit 0); a wrong secret is invalid_client; an unreachable provider, Redis, upstream and trace collector each fail with a fix (exit 1)")
    func liveCheck() async throws {
        let redis = try await RedisServer.start()
        defer { redis.stop() }
        let client = DevOpenIDProvider.Client(id: "live-check", secret: Self.secret, redirectURIs: ["http://127.0.0.1:8080/bff/callback"])
        let provider = try DevOpenIDProvider(configuration: .init(clients: [client]))
        let upstreamPort = try freeLoopbackPort()
        let collector = OTLPReceiver(port: try freeLoopbackPort())

        try await TestSurroundings.withProvider(provider, alongside: [Self.upstream(port: upstreamPort), collector.application()]) { issuer in
            let closed = try freeLoopbackPort()  // nothing listens here
            let upstream = "http://127.0.0.1:\(upstreamPort)/"

            let good = try await Self.checkLive(Self.yaml(issuer: issuer, redis: redis.url, upstreams: [upstream], collector: collector.endpoint.absoluteString))
            #expect(good.status == 0, "\(good.output)")
            #expect(good.line("provider discovery").hasPrefix("PASS"), "\(good.output)")
            #expect(good.line("provider keys").hasPrefix("PASS"))
            #expect(good.line("client credentials").hasPrefix("PASS"))
            #expect(good.line("session store").hasPrefix("PASS") && good.line("session store").contains("Redis "))
            #expect(good.line("routes[0] /r0/ upstream").hasPrefix("PASS"))
            #expect(good.line("telemetry collector").hasPrefix("PASS"), "\(good.output)")
            #expect(try collector.spans().isEmpty, "the check exports no span")
            #expect(!good.output.contains("FAIL"))
            #expect(good.output.contains("live check: 6 passed, 0 failed"))
            #expect(!good.output.contains(Self.secret))

            let wrongSecret = try await Self.checkLive(Self.yaml(issuer: issuer, secret: "not-the-secret", redis: redis.url, upstreams: [upstream]))
            #expect(wrongSecret.status == 1)
            #expect(wrongSecret.line("client credentials").hasPrefix("FAIL"), "\(wrongSecret.output)")
            #expect(wrongSecret.line("client credentials").contains("invalid_client"))
            #expect(wrongSecret.output.contains("fix: check oidc.client_id, oidc.client_secret"))
            #expect(wrongSecret.line("provider discovery").hasPrefix("PASS"), "only the credentials fail")
            #expect(!wrongSecret.output.contains("not-the-secret"))

            let down = try await Self.checkLive(Self.yaml(
                issuer: "http://127.0.0.1:\(closed)", redis: "redis://127.0.0.1:\(closed)",
                upstreams: [upstream, "http://127.0.0.1:\(closed)/"], collector: "http://127.0.0.1:\(closed)"
            ))
            #expect(down.status == 1)
            #expect(down.line("provider discovery").hasPrefix("FAIL"), "\(down.output)")
            #expect(down.output.contains("fix: check oidc.issuer"))
            #expect(down.line("client credentials").hasPrefix("SKIP"))
            #expect(down.line("session store").hasPrefix("FAIL"))
            #expect(down.output.contains("fix: start Redis, or correct session.store"))
            #expect(down.line("routes[0] /r0/ upstream").hasPrefix("PASS"), "the reachable upstream still passes")
            #expect(down.line("routes[1] /r1/ upstream").hasPrefix("FAIL"))
            #expect(down.output.contains("fix: start the upstream, or correct routes[1].upstream"))
            #expect(down.line("telemetry collector").hasPrefix("FAIL"))
            #expect(down.output.contains("fix: start the collector, or correct telemetry.otlp_endpoint"))
            #expect(down.output.contains("live check: 1 passed, 4 failed, 2 not tried"), "\(down.output)")
        }
    }

    @Test("a redis+cluster:// store: the live check names the primaries and the slots they serve")
    func cluster() async throws {
        let redisCluster = try await RedisClusterSetup.start(nodes: 3)
        defer { redisCluster.stop() }
        let client = DevOpenIDProvider.Client(id: "live-check", secret: Self.secret, redirectURIs: ["http://127.0.0.1:8080/bff/callback"])
        let provider = try DevOpenIDProvider(configuration: .init(clients: [client]))
        try await TestSurroundings.withProvider(provider) { issuer in
            let run = try await Self.checkLive(Self.yaml(issuer: issuer, redis: redisCluster.url, upstreams: []))
            #expect(run.line("session store").hasPrefix("PASS"), "\(run.output)")
            #expect(run.line("session store").contains("a cluster of 3 primaries serving 16384 of 16384 slots"), "\(run.output)")
        }
    }
}

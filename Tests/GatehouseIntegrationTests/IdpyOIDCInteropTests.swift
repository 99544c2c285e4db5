import DevOpenIDProvider
import Foundation
import GatehouseOAuth
import GatehouseSessions
import GatehouseTestSupport
import Hummingbird
import Logging
import ServiceLifecycle
import Testing

/// Gatehouse against a provider it was not written with: IdentityPython's `idpyoidc` server
/// (PyPI, `Deploy/scripts/interop-venv.sh`) behind `Tests/Interop/idpyoidc_op.py`, and the real
/// `gatehouse serve` binary with Redis sessions. What the front works around in idpyoidc 5.0.0 is
/// written in that file (its PAR front channel, its DPoP `ath` and discovery).
@Suite("Interop with a third-party provider: idpyoidc with PAR and DPoP")
struct IdpyOIDCInteropTests {
    @Test("PAR login, DPoP-bound tokens that idpyoidc's userinfo accepts through Gatehouse, refreshes with proofs; the stolen token is refused")
    func parAndDPoP() async throws {
        let redis = try await RedisServer.start()
        defer { redis.stop() }
        let (gatehousePort, upstreamPort) = (try freeLoopbackPort(), try freeLoopbackPort())
        let gatehouseURL = "http://127.0.0.1:\(gatehousePort)"
        // 30 s tokens, below refresh_before_expiry (60 s): every proxied call refreshes first.
        let op = try await IdpyOIDCProvider.start(redirectURI: gatehouseURL + "/bff/callback", accessTokenSeconds: 30)
        defer { op.stop() }

        var quiet = Logger(label: "interop-upstream")
        quiet.logLevel = .warning
        let upstream = ServiceGroup(configuration: .init(services: [ServeFromConfigurationTests.echoUpstream(port: upstreamPort)], logger: quiet))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await upstream.run() }
            defer { group.cancelAll() }
            let gatehouse = try await GatehouseProcess.start(port: gatehousePort) { port, adminPort, directory in
                """
                listen: 127.0.0.1:\(port)
                admin_listen: 127.0.0.1:\(adminPort)
                public_url: \(gatehouseURL)
                static_dir: \(directory)
                oidc:
                  issuer: \(op.issuer)
                  client_id: \(op.clientID)
                  client_secret: \(op.clientSecret)
                  par: required
                  dpop: true
                  scopes: [openid, email, offline_access]
                session:
                  store: \(redis.url)
                  encryption_keys: ["\(SessionCipherKey.generateBase64())"]
                log:
                  level: warning
                routes:
                  - path: /userinfo
                    upstream: \(op.issuer)/
                  - path: /api/
                    upstream: http://127.0.0.1:\(upstreamPort)/
                """
            }
            defer { gatehouse.stop() }
            let browser = TestBrowser()

            // PAR: the browser carries only client_id and request_uri to idpyoidc.
            // (idpyoidc asks for prompt=consent with offline_access, as OIDC Core §11 allows.)
            let login = try await browser.get(gatehouseURL + "/bff/login?returnUrl=/after&prompt=consent")
            let authorize = try #require(login.location)
            #expect(authorize.hasPrefix(op.issuer + "/authorization?"))
            let query = try #require(URLComponents(string: authorize)?.queryItems)
            #expect(Set(query.map(\.name)) == ["client_id", "request_uri"])
            let toCallback = try await browser.get(authorize)  // idpyoidc signs its user in without a form
            #expect(toCallback.status == 303)
            let callback = try #require(toCallback.location)
            #expect(callback.contains("iss="), "idpyoidc returns iss (RFC 9207), which Gatehouse checks")
            let landed = try await browser.get(callback)
            #expect(landed.status == 302)
            #expect(landed.location == "/after")
            #expect(try await browser.get(gatehouseURL + "/bff/user", headers: [("X-CSRF", "1")]).status == 200)

            // idpyoidc's userinfo is a DPoP resource server: it checks the proof's signature, typ,
            // method, URL and ath, and takes only "Authorization: DPoP".
            for _ in 0..<2 {
                let userinfo = try await browser.get(gatehouseURL + "/userinfo", headers: [("X-CSRF", "1")])
                #expect(userinfo.status == 200, "\(userinfo.body.prefix(200))")
                #expect(userinfo.body.contains("diana@example.org"))
            }

            // The token idpyoidc minted names (cnf.jkt) the key that signs Gatehouse's upstream proofs.
            var seenProofs: [String: Date] = [:]
            var stolen: (token: String, proof: String)?
            for _ in 0..<2 {
                let echo = try await browser.get(gatehouseURL + "/api/headers", headers: [("X-CSRF", "1")])
                let headers = try #require((try JSONSerialization.jsonObject(with: Data(echo.body.utf8)) as? [String: Any])?["headers"] as? [String: String])
                let authorization = try #require(headers["authorization"])
                #expect(authorization.hasPrefix("DPoP "))
                let token = String(authorization.dropFirst("DPoP ".count))
                let proof = try #require(headers["dpop"])
                let check = DPoPProofCheck(method: "GET", url: "http://127.0.0.1:\(upstreamPort)/api/headers", accessToken: token)
                let jkt = try check.verify(proof, now: Date(), seen: &seenProofs)
                #expect(Self.confirmationKey(of: token) == jkt, "idpyoidc bound the token to the session's key")
                if let earlier = stolen { #expect(earlier.token != token, "a refreshed token, still bound") }
                stolen = (token, proof)
            }

            // Each proxied call refreshed (the token lives 30 s): every refresh at idpyoidc succeeded.
            let metrics = try await browser.get("http://127.0.0.1:\(gatehouse.adminPort)/metrics").body
            #expect(Self.value(#"gatehouse_refreshes_total{result="ok"}"#, in: metrics) >= 4, "every proxied call refreshed")
            #expect(Self.value(#"gatehouse_refreshes_total{result="failed"}"#, in: metrics) == 0)

            // The token the upstream saw is useless at idpyoidc without the session's key.
            let (token, proof) = try #require(stolen)
            let asBearer = try await browser.get(op.issuer + "/userinfo", headers: [("Authorization", "Bearer " + token)])
            #expect([400, 401].contains(asBearer.status) && asBearer.body.contains("error"), "\(asBearer.status) \(asBearer.body.prefix(200))")
            let withReplayedProof = try await browser.get(op.issuer + "/userinfo", headers: [("Authorization", "DPoP " + token), ("DPoP", proof)])
            #expect([400, 401].contains(withReplayedProof.status) && withReplayedProof.body.contains("error"), "the captured proof names the upstream, not userinfo")
            try await browser.shutdown()
        }
    }

    /// A series' value in Prometheus text (every series is present, at zero, from the start).
    static func value(_ series: String, in text: String) -> Double {
        text.split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap { Double($0.dropFirst(series.count + 1)) } ?? -1
    }

    /// `cnf.jkt` of a JWT access token (idpyoidc's tokens are JWTs; Gatehouse never decodes them).
    static func confirmationKey(of token: String) -> String? {
        let parts = token.split(separator: ".")
        guard parts.count == 3, let payload = Base64URL.decode(parts[1]),
            let claims = try? JSONSerialization.jsonObject(with: Data(payload)) as? [String: Any]
        else { return nil }
        return (claims["cnf"] as? [String: Any])?["jkt"] as? String
    }
}

/// `Tests/Interop/idpyoidc_op.py` run with the interop venv's Python, on a free loopback port.
struct IdpyOIDCProvider {
    let process: ChildProcess
    let issuer: String
    let clientID = "gatehouse-interop"
    let clientSecret: String
    private let output: URL

    static var repository: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// The venv `Deploy/scripts/interop-venv.sh` makes (`GATEHOUSE_INTEROP_PYTHON` overrides it).
    static var python: String {
        let environment = ProcessInfo.processInfo.environment
        if let python = environment["GATEHOUSE_INTEROP_PYTHON"] { return python }
        return (environment["TMPDIR"] ?? "/tmp") + "/gatehouse-interop-venv/bin/python"
    }

    static func start(redirectURI: String, accessTokenSeconds: Int) async throws -> IdpyOIDCProvider {
        try #require(FileManager.default.isExecutableFile(atPath: python), "no interop venv at \(python): run Deploy/scripts/interop-venv.sh (Deploy/scripts/test.sh does)")
        let port = try freeLoopbackPort()
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("idpyoidc-op-\(UUID().uuidString).log")
        let script = repository.appendingPathComponent("Tests/Interop/idpyoidc_op.py").path
        let secret = "interop-secret-\(UUID().uuidString)"
        let process = try ChildProcess(executable: python, arguments: [script, String(port), redirectURI, "gatehouse-interop", secret, String(accessTokenSeconds)], outputPath: output.path)
        let provider = IdpyOIDCProvider(process: process, issuer: "http://127.0.0.1:\(port)", clientSecret: secret, output: output)
        for _ in 0..<300 where provider.process.isRunning {  // importing idpyoidc takes a second or two
            if await RawHTTP.exchange(port: port, request: "GET /.well-known/openid-configuration HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").hasPrefix("HTTP/1.0 200") {
                return provider
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        let log = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        provider.stop()
        throw HarnessError("idpyoidc did not start: \(log.suffix(800))")
    }

    func stop() {
        process.killAndReap()
        try? FileManager.default.removeItem(at: output)
    }
}

import AsyncHTTPClient
import DevOpenIDProvider
import Foundation
import GatehouseTestSupport
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL
import ServiceLifecycle
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// PRODUCT.md `tls:`: the real binary serves https on `listen` with the given PEM files; a
/// certificate renewed under the same paths is served after `SIGHUP` without closing open
/// connections; a broken file on reload changes nothing.
@Suite("TLS on the public listener")
struct ListenerTLSTests {
    /// One GET over a fresh connection that trusts only `ca`; the status, or nil when TLS failed.
    static func status(_ url: String, trusting ca: String) async -> Int? {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .file(ca)
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
        defer { _ = client.shutdown() }
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "X-CSRF", value: "1")
        return try? await Int(client.execute(request, timeout: .seconds(2)).status.code)
    }

    /// The real binary on https with the memory store; `extra` is more YAML at the top level.
    static func start(issuer: String, cert: String, key: String, extra: String = "log:\n  level: warning") async throws -> GatehouseProcess {
        try await GatehouseProcess.start { port, adminPort, directory in
            """
            listen: 127.0.0.1:\(port)
            admin_listen: 127.0.0.1:\(adminPort)
            tls:
              cert_file: \(cert)
              key_file: \(key)
            public_url: https://localhost:\(port)
            static_dir: \(directory)
            oidc:
              issuer: \(issuer)
              client_id: tls-test
              client_secret: not-used-here
            session:
              store: memory
              encryption_keys: ["\(Data(repeating: 5, count: 32).base64EncodedString())"]
            \(extra)
            """
        }
    }

    static func certificates() throws -> (ca: String, cert: String, key: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return try RedisServer.makeCertificates(in: directory)
    }

    @Test("https with the configured files; a renewed certificate is served after SIGHUP, open connections stay, a broken file changes nothing")
    func tlsAndRenewal() async throws {
        let first = try Self.certificates()
        let provider = try DevOpenIDProvider(configuration: .init(clients: []))

        try await TestSurroundings.withProvider(provider) { issuer in
            let gatehouse = try await Self.start(issuer: issuer, cert: first.cert, key: first.key)
            defer { gatehouse.stop() }
            let user = "https://127.0.0.1:\(gatehouse.port)/bff/user"
            #expect(await Self.status(user, trusting: first.ca) == 401, "https answers (no session yet)")
            #expect(await RawHTTP.exchange(port: gatehouse.port, request: "GET /bff/user HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").hasPrefix("HTTP/1.1") == false, "no plain HTTP on a TLS listener")
            let held = try await HeldConnections.open(count: 1, port: gatehouse.port, sending: "")

            // Renewed under the same paths (a new CA here, so the client can tell them apart).
            let renewed = try Self.certificates()
            for (from, to) in [(renewed.cert, first.cert), (renewed.key, first.key)] {
                try Data(contentsOf: URL(fileURLWithPath: from)).write(to: URL(fileURLWithPath: to))
            }
            kill(gatehouse.process.processIdentifier, SIGHUP)
            var served = false
            // Bounded by time, not tries: a refused handshake can take the client's whole timeout.
            let deadline = ContinuousClock.now + .seconds(10)
            while !served, ContinuousClock.now < deadline {
                served = await Self.status(user, trusting: renewed.ca) == 401
                if !served { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(served, "the renewed certificate is served after SIGHUP: \(gatehouse.output.suffix(400))")
            #expect(await Self.status(user, trusting: first.ca) == nil, "the old one is no longer served")
            #expect(await held.waitForServerClose(timeout: .milliseconds(500)) == 0, "the open connection stays open")

            try "not a certificate".write(toFile: first.cert, atomically: true, encoding: .utf8)
            kill(gatehouse.process.processIdentifier, SIGHUP)
            var reported = false
            for _ in 0..<100 where !reported {
                reported = gatehouse.output.contains("tls.cert_file")
                if !reported { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(reported, "the broken file is reported by key path: \(gatehouse.output.suffix(400))")
            #expect(await Self.status(user, trusting: renewed.ca) == 401, "the certificate in force stays")
        }
    }

    /// A client that trusts only `ca`, speaking HTTP/2 when the server offers it, or only HTTP/1.1.
    static func client(trusting ca: String, http1Only: Bool) -> HTTPClient {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .file(ca)
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls)
        configuration.httpVersion = http1Only ? .http1Only : .automatic
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    @Test("HTTP/2 by ALPN and HTTP/1.1 on the same listener: both answer, bodies stream through the proxy, the target and header guards hold on HTTP/2 streams")
    func http2AndHTTP1() async throws {
        let certificates = try Self.certificates()
        let provider = try DevOpenIDProvider(configuration: .init(clients: []))
        let upstreamPort = try freeLoopbackPort()
        let upstream = TestSurroundings.upstream(port: upstreamPort, label: "h2-upstream") { router in
            router.post("/up/echo") { request, _ -> Response in
                var bytes = 0
                for try await chunk in request.body { bytes += chunk.readableBytes }
                return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "\(request.head.method) \(bytes) bytes")))
            }
        }

        try await TestSurroundings.withProvider(provider, alongside: [upstream]) { issuer in
            let gatehouse = try await Self.start(issuer: issuer, cert: certificates.cert, key: certificates.key, extra: """
                routes:
                  - path: /up/
                    upstream: http://127.0.0.1:\(upstreamPort)/
                    token: none
                limits:
                  header_read_timeout: 1s
                log:
                  level: warning
                """)
            defer { gatehouse.stop() }
            let base = "https://127.0.0.1:\(gatehouse.port)"
            let silent = try await HeldConnections.open(count: 1, port: gatehouse.port, sending: "")
            #expect(await silent.waitForServerClose(timeout: .seconds(5)) == 1, "a client that never starts its handshake is closed after header_read_timeout")
            for http1Only in [false, true] {
                let client = Self.client(trusting: certificates.ca, http1Only: http1Only)
                defer { _ = client.shutdown() }
                let expected: HTTPVersion = http1Only ? .http1_1 : .http2
                var user = HTTPClientRequest(url: base + "/bff/user")
                user.headers.add(name: "X-CSRF", value: "1")
                let answer = try await client.execute(user, timeout: .seconds(5))
                #expect(answer.version == expected, "ALPN picks \(expected)")
                #expect(answer.status == .unauthorized)

                var upload = HTTPClientRequest(url: base + "/up/echo")
                upload.method = .POST
                upload.headers.add(name: "X-CSRF", value: "1")
                upload.body = .bytes(ByteBuffer(repeating: 7, count: 300_000))
                let echoed = try await client.execute(upload, timeout: .seconds(10))
                #expect(echoed.version == expected)
                let echo = String(buffer: try await echoed.body.collect(upTo: 1024))
                #expect(echo == "POST 300000 bytes", "the body streams through on \(expected): \(echoed.status) \(echo)")

                var dotted = HTTPClientRequest(url: base + "/up/%2e%2e/bff/user")
                dotted.headers.add(name: "X-CSRF", value: "1")
                let refused = try await client.execute(dotted, timeout: .seconds(5))
                #expect(refused.status == .badRequest, "a dot segment is refused on \(expected)")
                #expect(String(buffer: try await refused.body.collect(upTo: 1024)).contains("segments"))

                var crowded = HTTPClientRequest(url: base + "/bff/user")
                for index in 0..<120 { crowded.headers.add(name: "x-filler-\(index)", value: "1") }
                let tooMany = try await client.execute(crowded, timeout: .seconds(5))
                #expect(tooMany.status == .requestHeaderFieldsTooLarge, "more than max_header_count fields is 431 on \(expected)")

                if !http1Only {
                    // Browsers send one cookie field per cookie over HTTP/2: 150 of them are one header.
                    var crumbs = HTTPClientRequest(url: base + "/bff/user")
                    crumbs.headers.add(name: "X-CSRF", value: "1")
                    for index in 0..<150 { crumbs.headers.add(name: "cookie", value: "c\(index)=v") }
                    let crumbed = try await client.execute(crumbs, timeout: .seconds(5))
                    #expect(crumbed.status == .unauthorized, "cookie crumbs are not too many headers: \(crumbed.status)")
                }
            }
        }
    }

    /// Lays `certificates` out as kubelet does a secret volume: `tls.crt` → `..data/tls.crt`,
    /// `..data` → a timestamped directory; a second call swaps `..data` by one rename.
    static func publishAsSecret(_ certificates: (ca: String, cert: String, key: String), in volume: URL) throws {
        let files = FileManager.default
        let version = volume.appendingPathComponent("..\(UUID().uuidString)")
        try files.createDirectory(at: version, withIntermediateDirectories: true)
        try files.copyItem(atPath: certificates.cert, toPath: version.appendingPathComponent("tls.crt").path)
        try files.copyItem(atPath: certificates.key, toPath: version.appendingPathComponent("tls.key").path)
        let staging = volume.appendingPathComponent("..data_tmp")
        try files.createSymbolicLink(atPath: staging.path, withDestinationPath: version.lastPathComponent)
        #expect(rename(staging.path, volume.appendingPathComponent("..data").path) == 0)
        for name in ["tls.crt", "tls.key"] where !files.fileExists(atPath: volume.appendingPathComponent(name).path) {
            try files.createSymbolicLink(atPath: volume.appendingPathComponent(name).path, withDestinationPath: "..data/\(name)")
        }
    }

    @Test("a certificate renewed in place is served without a signal: a kubelet-style symlink swap, and an in-place overwrite; a broken pair changes nothing")
    func renewalWithoutSignal() async throws {
        let first = try Self.certificates()
        let volume = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-secret-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: volume, withIntermediateDirectories: true)
        try Self.publishAsSecret(first, in: volume)
        let provider = try DevOpenIDProvider(configuration: .init(clients: []))

        try await TestSurroundings.withProvider(provider) { issuer in
            let gatehouse = try await Self.start(issuer: issuer, cert: "\(volume.path)/tls.crt", key: "\(volume.path)/tls.key", extra: """
                log:
                  level: info
                """)
            defer { gatehouse.stop() }
            let user = "https://127.0.0.1:\(gatehouse.port)/bff/user"
            #expect(await Self.status(user, trusting: first.ca) == 401)
            func served(by ca: String) async throws -> Bool {
                let deadline = ContinuousClock.now + .seconds(10)
                while ContinuousClock.now < deadline {
                    if await Self.status(user, trusting: ca) == 401 { return true }
                    try await Task.sleep(for: .milliseconds(100))
                }
                return false
            }

            let second = try Self.certificates()
            try Self.publishAsSecret(second, in: volume)
            #expect(try await served(by: second.ca), "the swapped secret is served, no SIGHUP sent: \(gatehouse.output.suffix(600))")
            #expect(gatehouse.output.contains("tls.reloaded"))

            // A key that does not go with the certificate: nothing changes.
            let third = try Self.certificates()
            try Data(contentsOf: URL(fileURLWithPath: third.cert)).write(to: volume.appendingPathComponent("tls.crt"))
            let deadline = ContinuousClock.now + .seconds(10)
            while !gatehouse.output.contains("tls.reload_failed"), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(100)) }
            #expect(gatehouse.output.contains("tls.reload_failed") && gatehouse.output.contains("tls.key_file"), "\(gatehouse.output.suffix(600))")
            #expect(await Self.status(user, trusting: second.ca) == 401, "the pair in force stays")

            // The matching key, written in place (as a deploy hook's cp would).
            try Data(contentsOf: URL(fileURLWithPath: third.key)).write(to: volume.appendingPathComponent("tls.key"))
            #expect(try await served(by: third.ca), "the completed pair is served: \(gatehouse.output.suffix(600))")
        }
    }
}

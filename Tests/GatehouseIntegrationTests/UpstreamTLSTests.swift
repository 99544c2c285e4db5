import Foundation
@testable import GatehouseServer
import GatehouseTestSupport
import Hummingbird
import HummingbirdTLS
import NIOSSL
import ServiceLifecycle
import Testing

/// `https://` upstreams through Gatehouse's own upstream client: a private CA named by
/// `routes[].tls.ca_file`, and mutual TLS with `cert_file`/`key_file`.
@Suite("https upstreams: private CA and mutual TLS")
struct UpstreamTLSTests {
    @Test("an upstream that asks for a client certificate: proxied with the route's certificate; without it, or without trusting its CA, 502")
    func mutualTLS() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-mtls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try RedisServer.makeCertificates(in: directory)
        let client = try RedisServer.makeClientCertificate(in: directory)
        let port = try freeLoopbackPort()
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(server.cert).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: server.key, format: .pem))
        )
        tls.trustRoots = .file(server.ca)
        tls.certificateVerification = .noHostnameVerification  // a client certificate signed by the CA is required
        let router = Router()
        router.get("/**") { request, _ -> String in
            "mtls ok \(request.uri.path) \(request.headers[.authorization]?.hasPrefix("Bearer ") == true ? "with bearer" : "without bearer")"
        }
        let upstream = Application(router: router, server: try .tls(.http1(), tlsConfiguration: tls), configuration: .init(address: .hostname("127.0.0.1", port: port)), logger: TestSurroundings.quietLogger("mtls-upstream"))
        let base = URL(string: "https://localhost:\(port)/")!
        try await GatehouseHarness.run(
            routes: { http in
                [
                    Route(path: "/api/", upstream: http),
                    Route(path: "/mtls/", upstream: base, stripPrefix: true, tls: UpstreamTLSSettings(caFile: server.ca, certificateFile: client.cert, keyFile: client.key)),
                    Route(path: "/nocert/", upstream: base, stripPrefix: true, tls: UpstreamTLSSettings(caFile: server.ca)),
                    Route(path: "/untrusted/", upstream: base, stripPrefix: true),
                ]
            },
            alongside: [upstream]
        ) { h in
            try await h.login()
            for _ in 0..<3 {
                let answer = try await h.browser.get(h.gatehouse + "/mtls/orders/7", headers: [("X-CSRF", "1")])
                #expect(answer.status == 200 && answer.body == "mtls ok /orders/7 with bearer", "\(answer.status) \(answer.body)")
            }
            #expect(try await h.browser.get(h.gatehouse + "/nocert/x", headers: [("X-CSRF", "1")]).status == 502, "no client certificate")
            #expect(try await h.browser.get(h.gatehouse + "/untrusted/x", headers: [("X-CSRF", "1")]).status == 502, "the private CA is not trusted by default")
        }
    }

    @Test("routes[].tls: only for https upstreams, cert_file and key_file together, files that load; each named by its key path")
    func configuration() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-mtls-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try RedisServer.makeCertificates(in: directory)
        let client = try RedisServer.makeClientCertificate(in: directory)
        func problems(_ route: String) -> [String] {
            let yaml = """
                public_url: https://app.example.com
                oidc: {issuer: "https://idp.example.com", client_id: x, client_secret: y}
                session: {store: memory, encryption_keys: ["\(Data(repeating: 1, count: 32).base64EncodedString())"]}
                routes:
                  - \(route)
                """
            do {
                _ = try ConfigurationLoader(environment: [:]).load(yaml: yaml)
                return []
            } catch {
                return error.problems.map(\.keyPath)
            }
        }
        #expect(problems("{path: /a/, upstream: 'https://a.internal/', tls: {ca_file: \(server.ca), cert_file: \(client.cert), key_file: \(client.key)}}") == [])
        #expect(problems("{path: /a/, upstream: 'http://a.internal/', tls: {ca_file: \(server.ca)}}") == ["routes[0].tls"])
        #expect(problems("{path: /a/, upstream: 'https://a.internal/', tls: {cert_file: \(client.cert)}}") == ["routes[0].tls.key_file"])
        #expect(problems("{path: /a/, upstream: 'https://a.internal/', tls: {ca_file: /nonexistent.pem}}") == ["routes[0].tls.ca_file"])
        #expect(problems("{path: /a/, upstream: 'https://a.internal/', tls: {cert_file: \(client.cert), key_file: \(server.key)}}") == ["routes[0].tls.key_file"], "a key that is not the certificate's")
        #expect(problems("{path: /a/, upstream: 'https://a.internal/', tls: {ca_flie: \(server.ca)}}") == ["routes[0].tls.ca_flie"])
    }
}

import Foundation
@testable import GatehouseServer
import GatehouseTestSupport
import Testing

@Suite("Configuration: tls")
struct ConfigurationTLSTests {
    @Test("no tls section: plain HTTP; PEM files that load: https, the summary names the certificate")
    func given() throws {
        #expect(try ConfigurationLoader(environment: [:]).load(yaml: minimalYAML).tls == nil)
        let scratch = try ConfigurationScratch()
        defer { scratch.cleanUp() }
        let files = try RedisServer.makeCertificates(in: URL(fileURLWithPath: try scratch.write("x", "")).deletingLastPathComponent())
        let loaded = try ConfigurationLoader(environment: [:]).load(yaml: minimalYAML + "\ntls:\n  cert_file: \(files.cert)\n  key_file: \(files.key)\n")
        #expect(loaded.tls == ListenerTLSSettings(certificateFile: files.cert, keyFile: files.key))
        #expect(loaded.summary.contains("(https: \(files.cert))"))
        let fromEnvironment = try ConfigurationLoader(environment: ["GATEHOUSE_TLS_CERT_FILE": files.cert, "GATEHOUSE_TLS_KEY_FILE": files.key]).load(yaml: minimalYAML)
        #expect(fromEnvironment.tls == loaded.tls)
    }

    @Test("a missing key file, a file that is not PEM, a key that is not one: each named by its key path, never its contents")
    func refused() throws {
        let scratch = try ConfigurationScratch()
        defer { scratch.cleanUp() }
        let files = try RedisServer.makeCertificates(in: URL(fileURLWithPath: try scratch.write("x", "")).deletingLastPathComponent())
        let garbage = try scratch.write("garbage.pem", "PRIVATE-LOOKING-BYTES")
        #expect(problems(minimalYAML + "\ntls:\n  cert_file: \(files.cert)\n").map(\.keyPath) == ["tls.key_file"])
        let badCertificate = problems(minimalYAML + "\ntls:\n  cert_file: \(garbage)\n  key_file: \(files.key)\n")
        #expect(badCertificate.map(\.keyPath) == ["tls.cert_file"])
        #expect(badCertificate.first?.message.contains("no PEM certificate chain") == true)
        let badKey = problems(minimalYAML + "\ntls:\n  cert_file: \(files.cert)\n  key_file: \(garbage)\n")
        #expect(badKey.map(\.keyPath) == ["tls.key_file"])
        #expect(!badKey.map(\.description).joined().contains("PRIVATE-LOOKING-BYTES"))
        #expect(problems(minimalYAML + "\ntls:\n  cert_file: /nonexistent.pem\n  key_file: \(files.key)\n").map(\.keyPath) == ["tls.cert_file"])
    }
}

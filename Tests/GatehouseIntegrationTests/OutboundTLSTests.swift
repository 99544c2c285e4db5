import Foundation
@testable import GatehouseServer
import GatehouseTestSupport
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization
import Testing

/// Gatehouse's own calls (provider, https upstreams) refuse TLS below 1.2 (BCP 195, FAPI 2.0 §5.2).
@Suite("Outbound TLS: nothing below TLS 1.2")
struct OutboundTLSTests {
    @Test("an https upstream that speaks at most TLS 1.1 is refused at the protocol version, before any certificate is looked at")
    func refusesTLS11() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-tls11-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let files = try RedisServer.makeCertificates(in: directory)
        let old = try OldTLSServer(certificate: files.cert, key: files.key)
        defer { old.stop() }

        try await GatehouseHarness.run(routes: { upstream in
            [Route(path: "/api/", upstream: upstream), Route(path: "/old/", upstream: URL(string: "https://localhost:\(old.port)/")!)]
        }) { h in
            try await h.login()
            let answer = try await h.browser.get(h.gatehouse + "/old/x", headers: [("X-CSRF", "1")])
            #expect(answer.status == 502)
            // With TLS 1.0 allowed the handshake would complete as TLS 1.1 and then fail on the
            // certificate (the test CA is not trusted): the server would see an unknown-CA alert.
            let error = try #require(await old.firstError(within: .seconds(10)))
            #expect(error.contains("UNSUPPORTED_PROTOCOL"), "the server saw: \(error)")
        }
    }
}

/// A TLS server on 127.0.0.1 that offers at most TLS 1.1 and records the first handshake error.
final class OldTLSServer: Sendable {
    let port: Int
    private let channel: any Channel
    private let log = ErrorLog()

    init(certificate: String, key: String) throws {
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: key, format: .pem))
        )
        tls.minimumTLSVersion = .tlsv1
        tls.maximumTLSVersion = .tlsv11
        let context = try NIOSSLContext(configuration: tls)
        let log = self.log
        channel = try ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture {
                    try child.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context))
                    try child.pipeline.syncOperations.addHandler(ErrorRecorder(log: log))
                }
            }
            .bind(host: "127.0.0.1", port: 0).wait()
        port = channel.localAddress?.port ?? 0
    }

    func firstError(within limit: Duration) async -> String? {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if let first = log.errors.withLock({ $0.first }) { return first }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }

    func stop() { channel.close(promise: nil) }

    private final class ErrorLog: Sendable {
        let errors = Mutex<[String]>([])
    }

    private final class ErrorRecorder: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let log: ErrorLog
        init(log: ErrorLog) { self.log = log }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            log.errors.withLock { $0.append(String(describing: error)) }
            context.close(promise: nil)
        }
    }
}

import Foundation
import Hummingbird
import Synchronization

/// A stand-in OpenTelemetry collector: takes OTLP/HTTP protobuf posts on `/v1/traces` and
/// keeps their raw bodies, so a test can read the spans and search the bytes for secrets.
final class OTLPReceiver: Sendable {
    let port: Int
    private let bodies = Mutex<[[UInt8]]>([])

    init(port: Int) {
        self.port = port
    }

    var endpoint: URL { URL(string: "http://127.0.0.1:\(port)")! }

    /// The collector, to run beside the test's other services.
    func application() -> some ApplicationProtocol {
        TestSurroundings.upstream(port: port, label: "otlp-receiver") { router in
            router.post("/v1/traces") { request, _ -> Response in
                let body = try await request.body.collect(upTo: 16 << 20)
                self.bodies.withLock { $0.append(Array(buffer: body)) }
                // An empty ExportTraceServiceResponse: full success.
                return Response(status: .ok, headers: [.contentType: "application/x-protobuf"], body: .init(byteBuffer: ByteBuffer()))
            }
        }
    }

    /// Every body received so far, concatenated: what "no secret in any span" is checked against.
    var rawBytes: [UInt8] { bodies.withLock { $0.flatMap { $0 } } }

    /// Every span received so far.
    func spans() throws -> [OTLPSpan] {
        try bodies.withLock { $0 }.flatMap(OTLPSpan.decode(request:))
    }

    /// Waits (at most `timeout`) until `condition` holds for the spans received.
    func waitForSpans(timeout: Duration = .seconds(15), until condition: ([OTLPSpan]) -> Bool) async throws -> [OTLPSpan] {
        let deadline = ContinuousClock.now + timeout
        while true {
            let spans = try spans()
            if condition(spans) || ContinuousClock.now > deadline { return spans }
            try await Task.sleep(for: .milliseconds(100))
        }
    }
}

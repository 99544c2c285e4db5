import AsyncHTTPClient
import DevOpenIDProvider
import Foundation
import GatehouseTestSupport
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Testing

/// 100 MiB up and 100 MiB down through the real `gatehouse` process, whose
/// resident memory is sampled throughout: bodies stream, nothing is buffered whole.
@Suite("Streaming through the real gatehouse process keeps its memory flat")
struct StreamingMemoryTests {
    static let size = 100 * 1024 * 1024
    static let chunk = 64 * 1024

    @Test("a 100 MiB upload and a 100 MiB download pass through; resident memory grows by less than 32 MiB")
    func hundredMebibytesBothWays() async throws {
        let upstreamPort = try freeLoopbackPort()
        let provider = try DevOpenIDProvider(configuration: .init(clients: []))
        let http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup)

        try await TestSurroundings.withProvider(provider, alongside: [Self.bulkUpstream(port: upstreamPort)]) { issuer in
            let gatehouse = try await GatehouseProcess.start(issuer: issuer, routes: """
                  - path: /bulk/
                    upstream: http://127.0.0.1:\(upstreamPort)/
                    token: none
                    timeout: 120s
                """)
            defer { gatehouse.stop() }
            let (pid, port) = (gatehouse.process.processIdentifier, gatehouse.port)
            let base = "http://127.0.0.1:\(port)/bulk"
            // Warm up (connection pools, lazily built state) before the baseline.
            _ = try await Self.download(http, url: base + "/source?bytes=\(4 * Self.chunk)")
            let baseline = try #require(residentKiB(pid))

            let sampler = Task { () -> Int in
                var peak = 0
                while !Task.isCancelled {
                    peak = max(peak, residentKiB(pid) ?? 0)
                    try? await Task.sleep(for: .milliseconds(20))
                }
                return peak
            }
            let uploaded = try await Self.upload(http, url: base + "/sink")
            let downloaded = try await Self.download(http, url: base + "/source?bytes=\(Self.size)")
            sampler.cancel()
            let peak = max(await sampler.value, residentKiB(pid) ?? 0)

            #expect(uploaded == String(Self.size), "the upstream received every byte")
            #expect(downloaded == Self.size, "the browser received every byte")
            let growthMiB = Double(peak - baseline) / 1024
            #expect(growthMiB < 32, "resident memory grew \(growthMiB) MiB (baseline \(baseline / 1024) MiB, peak \(peak / 1024) MiB)")
        }
        try await http.shutdown()
    }

    /// Streams `size` bytes up; returns the upstream's count of what arrived.
    static func upload(_ http: HTTPClient, url: String) async throws -> String {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/octet-stream")
        request.headers.add(name: "X-CSRF", value: "1")
        request.body = .stream(Chunks(total: size, chunk: chunk), length: .known(Int64(size)))
        let response = try await http.execute(request, timeout: .seconds(120))
        return String(buffer: try await response.body.collect(upTo: 1024))
    }

    /// Reads the whole answer, counting bytes without keeping them.
    static func download(_ http: HTTPClient, url: String) async throws -> Int {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "X-CSRF", value: "1")
        let response = try await http.execute(request, timeout: .seconds(120))
        var count = 0
        for try await part in response.body { count += part.readableBytes }
        return count
    }

    /// `/sink` counts what it is sent; `/source?bytes=N` streams N bytes made on the fly.
    static func bulkUpstream(port: Int) -> some ApplicationProtocol {
        TestSurroundings.upstream(port: port, label: "bulk") { router in
            router.post("/bulk/sink") { request, _ -> Response in
                var count = 0
                for try await part in request.body { count += part.readableBytes }
                return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: String(count))))
            }
            router.get("/bulk/source") { request, _ -> Response in
                let total = request.uri.queryParameters.get("bytes", as: Int.self) ?? 0
                return Response(status: .ok, headers: [.contentType: "application/octet-stream"], body: ResponseBody { writer in
                    for try await chunk in Chunks(total: total, chunk: StreamingMemoryTests.chunk) { try await writer.write(chunk) }
                    try await writer.finish(nil)
                })
            }
        }
    }
}

/// `total` bytes in `chunk`-sized buffers, made as they are asked for.
struct Chunks: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let total: Int
    let chunk: Int

    struct AsyncIterator: AsyncIteratorProtocol {
        var remaining: Int
        let chunk: Int
        let pattern: ByteBuffer

        mutating func next() async -> ByteBuffer? {
            guard remaining > 0 else { return nil }
            let size = Swift.min(chunk, remaining)
            remaining -= size
            return pattern.getSlice(at: 0, length: size)
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(remaining: total, chunk: chunk, pattern: ByteBuffer(repeating: 0x5a, count: chunk))
    }
}

/// VmRSS of a process, in KiB.
func residentKiB(_ pid: Int32) -> Int? {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
    for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
        return Int(line.split(separator: " ", omittingEmptySubsequences: true)[1])
    }
    return nil
}

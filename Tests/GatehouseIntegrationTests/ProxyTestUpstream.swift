import Foundation
import Hummingbird
import HTTPTypes
import NIOCore
import Synchronization

/// Upstream endpoints that misbehave on purpose, for the proxy's tests.
enum ProxyTestUpstream {
    /// The nonce `/nonce/**` asks DPoP proofs to carry.
    static let upstreamNonce = "upstream-nonce-9c1"
    /// Requests `/nonce/**` received.
    static let nonceRequests = RequestCounter()

    final class RequestCounter: Sendable {
        private let count = Mutex(0)
        func add() { count.withLock { $0 += 1 } }
        var value: Int { count.withLock { $0 } }
    }

    static func addRoutes(to router: Router<BasicRequestContext>) {
        // Everything it received, as JSON (headers lower-cased, repeated ones joined).
        router.on("/any/**", method: .get) { request, _ in try echo(request) }
        router.on("/any/**", method: .post) { request, _ in
            let body = try await request.body.collect(upTo: 64 << 20)
            return try echo(request, bodyBytes: body.readableBytes)
        }
        router.get("/api/headers") { request, _ in try echo(request) }
        // A resource server that wants DPoP proofs with its nonce (RFC 9449 §9): without it, a
        // 401 challenge; with it, the echo. Every request is counted.
        router.on("/nonce/**", method: .get) { request, _ in
            nonceRequests.add()
            let payload = request.headers[HTTPField.Name("DPoP")!].flatMap { proof -> [String: Any]? in
                let parts = proof.split(separator: ".")
                guard parts.count == 3 else { return nil }
                var base64 = parts[1].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
                while base64.count % 4 != 0 { base64 += "=" }
                return Data(base64Encoded: base64).flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
            }
            guard payload?["nonce"] as? String == upstreamNonce else {
                var headers: HTTPFields = [.contentType: "application/json", .wwwAuthenticate: "DPoP error=\"use_dpop_nonce\", algs=\"ES256\""]
                headers[HTTPField.Name("DPoP-Nonce")!] = upstreamNonce
                return Response(status: .unauthorized, headers: headers, body: .init(byteBuffer: ByteBuffer(string: #"{"error":"use_dpop_nonce"}"#)))
            }
            return try echo(request)
        }
        router.get("/api/slow") { _, _ -> Response in
            try await Task.sleep(for: .seconds(3))
            return Response(status: .ok)
        }
        router.get("/api/hostile-headers") { _, _ -> Response in
            var headers: HTTPFields = [.contentType: "text/plain"]
            headers.append(HTTPField(name: .setCookie, value: "gatehouse=planted-by-upstream; Path=/"))
            headers.append(HTTPField(name: .setCookie, value: "gatehouse-login=planted; Path=/"))
            headers.append(HTTPField(name: .setCookie, value: "app-pref=dark; Path=/"))
            headers[.connection] = "X-Hop-Secret"
            headers[HTTPField.Name("X-Hop-Secret")!] = "must-not-pass"
            headers[HTTPField.Name("Keep-Alive")!] = "timeout=5"
            headers[HTTPField.Name("X-Kept")!] = "passes"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: "ok")))
        }
        // A stream that outlives any test (a tick every 200 ms for a minute): only its session ending stops it early.
        router.get("/api/endless-events") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "text/event-stream"], body: .init { writer in
                for index in 0..<300 {
                    try await writer.write(ByteBuffer(string: "data: tick \(index)\n\n"))
                    try await Task.sleep(for: .milliseconds(200))
                }
                try await writer.finish(nil)
            })
        }
        // Chunks with pauses: server-sent events must reach the browser as they come.
        router.get("/api/events") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "text/event-stream"], body: .init { writer in
                for index in 0..<3 {
                    try await writer.write(ByteBuffer(string: "data: event \(index)\n\n"))
                    try await Task.sleep(for: .milliseconds(400))
                }
                try await writer.finish(nil)
            })
        }
    }

    static func echo(_ request: Request, bodyBytes: Int = 0) throws -> Response {
        var headers: [String: String] = [:]
        for field in request.headers {
            let name = field.name.canonicalName
            headers[name] = headers[name].map { $0 + ", " + field.value } ?? field.value
        }
        let object: [String: Any] = ["path": request.uri.path, "authority": request.head.authority ?? "", "query": request.uri.query ?? "", "method": request.method.rawValue, "headers": headers, "body_bytes": bodyBytes]
        let data = try JSONSerialization.data(withJSONObject: object)
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

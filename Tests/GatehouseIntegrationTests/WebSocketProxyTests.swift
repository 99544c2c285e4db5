import DevOpenIDProvider
import Foundation
@testable import GatehouseServer
import GatehouseTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOWebSocket
import ServiceLifecycle
import Testing

@Suite("WebSocket proxying")
struct WebSocketProxyTests {
    @Test("an echo through the proxy: frames both ways, the user's bearer on the upstream upgrade, close codes passed through")
    func echo() async throws {
        try await withEchoUpstream { echo in
            try await GatehouseHarness.run(routes: { Self.routes(http: $0, ws: echo.port) }) { h in
                try await h.login()
                let bearer = try await h.bearerSeenByUpstream()
                let (socket, _) = try await WebSocketUpstream.connect(
                    url: URL(string: h.gatehouse + "/ws/echo?room=1")!, headers: h.browserUpgradeHeaders(),
                    maxFrameSize: 1 << 20, timeout: .seconds(10)
                )
                try await socket.executeThenClose { inbound, outbound in
                    var frames = inbound.makeAsyncIterator()
                    try await outbound.write(WebSocketFrame(fin: true, opcode: .text, maskKey: .random(), data: ByteBuffer(string: "hello")))
                    let text = try #require(try await frames.next())
                    #expect(text.opcode == .text)
                    #expect(String(buffer: text.unmaskedData) == "hello")
                    let bytes: [UInt8] = [0, 1, 2, 255, 13, 10]
                    try await outbound.write(WebSocketFrame(fin: true, opcode: .binary, maskKey: .random(), data: ByteBuffer(bytes: bytes)))
                    let binary = try #require(try await frames.next())
                    #expect(binary.opcode == .binary)
                    #expect(Array(buffer: binary.unmaskedData) == bytes)
                    try await outbound.write(WebSocketRelay.closeFrame(.unknown(4000), masked: true))
                    var reply = try #require(try await frames.next()).unmaskedData
                    #expect(reply.readWebSocketErrorCode() == .unknown(4000), "the upstream's Close answer arrives with the browser's code")
                }
                let seen = await echo.log.upgrades
                #expect(seen.count == 1)
                #expect(seen.first?.authorization == bearer, "the session's access token on the upgrade")
                #expect(seen.first?.path == "/echo?room=1")
                #expect(seen.first?.cookie?.contains("gatehouse") != true, "Gatehouse's cookie never reaches the upstream")
                #expect(await echo.log.closeCodes == [.unknown(4000)])
            }
        }
    }

    @Test("with oidc.dpop the upstream upgrade carries Authorization: DPoP and a proof of the session's key for GET and the upstream's URL")
    func dpopUpgrade() async throws {
        try await withEchoUpstream { echo in
            try await GatehouseHarness.run(configure: { $0.oidc.dpop = true }, routes: { Self.routes(http: $0, ws: echo.port) }) { h in
                try await h.login()
                let (socket, _) = try await WebSocketUpstream.connect(
                    url: URL(string: h.gatehouse + "/ws/echo?room=1")!, headers: h.browserUpgradeHeaders(), maxFrameSize: 1 << 20, timeout: .seconds(10)
                )
                try await socket.executeThenClose { _, outbound in
                    try await outbound.write(WebSocketRelay.closeFrame(.normalClosure, masked: true))
                }
                let seen = try #require(await echo.log.upgrades.first)
                let authorization = try #require(seen.authorization)
                #expect(authorization.hasPrefix("DPoP "))
                let token = String(authorization.dropFirst("DPoP ".count))
                var used: [String: Date] = [:]
                let check = DPoPProofCheck(method: "GET", url: "http://127.0.0.1:\(echo.port)/echo", accessToken: token)
                let jkt = try check.verify(try #require(seen.dpop), now: Date(), seen: &used)
                #expect(await h.provider.accessTokenBinding(token)?.jkt == jkt)
            }
        }
    }

    @Test("a cross-origin upgrade is refused with 403 before any upstream connection; no session is 401; a route without websocket: true refuses upgrades")
    func refusals() async throws {
        try await withEchoUpstream { echo in
            try await GatehouseHarness.run(routes: { Self.routes(http: $0, ws: echo.port) }) { h in
                let url = URL(string: h.gatehouse + "/ws/echo")!
                await #expect(throws: WebSocketUpstream.Failure.refused(.unauthorized)) {
                    _ = try await WebSocketUpstream.connect(url: url, headers: h.browserUpgradeHeaders(), maxFrameSize: 1 << 16, timeout: .seconds(10))
                }
                try await h.login()
                for origin in ["http://evil.example", "null", h.gatehouse + ".evil.example"] {
                    var headers = h.browserUpgradeHeaders()
                    headers.replaceOrAdd(name: "Origin", value: origin)
                    await #expect(throws: WebSocketUpstream.Failure.refused(.forbidden), "Origin \(origin)") {
                        _ = try await WebSocketUpstream.connect(url: url, headers: headers, maxFrameSize: 1 << 16, timeout: .seconds(10))
                    }
                }
                var twoOrigins = h.browserUpgradeHeaders()
                twoOrigins.add(name: "Origin", value: "http://evil.example")
                await #expect(throws: WebSocketUpstream.Failure.refused(.forbidden)) {
                    _ = try await WebSocketUpstream.connect(url: url, headers: twoOrigins, maxFrameSize: 1 << 16, timeout: .seconds(10))
                }
                await #expect(throws: WebSocketUpstream.Failure.refused(.forbidden), "a route without websocket: true does not upgrade") {
                    _ = try await WebSocketUpstream.connect(url: URL(string: h.gatehouse + "/api/headers")!, headers: h.browserUpgradeHeaders(), maxFrameSize: 1 << 16, timeout: .seconds(10))
                }
                #expect(await echo.log.upgrades.isEmpty, "nothing refused reached the upstream")
                // The same listener still serves plain HTTP.
                #expect(try await h.user().status == 200)
            }
        }
    }

    @Test("with telemetry on, an upgrade is a server span under the browser's traceparent, and the upstream handshake carries the span's")
    func tracedUpgrade() async throws {
        let collector = OTLPReceiver(port: try freeLoopbackPort())
        try await withEchoUpstream { echo in
            try await GatehouseHarness.run(
                configure: { $0.telemetry.otlpEndpoint = collector.endpoint }, routes: { Self.routes(http: $0, ws: echo.port) },
                alongside: [collector.application()]
            ) { h in
                try await h.login()
                var headers = h.browserUpgradeHeaders()
                headers.add(name: "traceparent", value: "00-\(TracingTests.browserTrace)-\(TracingTests.browserSpan)-01")
                let (socket, _) = try await WebSocketUpstream.connect(url: URL(string: h.gatehouse + "/ws/echo")!, headers: headers, maxFrameSize: 1 << 16, timeout: .seconds(10))
                try await socket.executeThenClose { _, outbound in
                    try await outbound.write(WebSocketRelay.closeFrame(.normalClosure, masked: true))
                }
                try #require(h.tracing).forceFlush()
                let spans = try await collector.waitForSpans { $0.contains { $0.name == "GET ws:/ws/" } }
                let upgrade = try #require(spans.first { $0.name == "GET ws:/ws/" }, "\(spans)")
                #expect(upgrade.traceID == TracingTests.browserTrace && upgrade.parentSpanID == TracingTests.browserSpan)
                #expect(upgrade.attributes["http.response.status_code"] == "101")
                let sent = try #require(await echo.log.upgrades.first?.traceparent?.split(separator: "-").map(String.init))
                #expect(sent.count == 4 && sent[1] == TracingTests.browserTrace && sent[2] == upgrade.spanID)
            }
        }
    }

    @Test("an upstream that is down is 502 on the upgrade, and the session is kept")
    func upstreamDown() async throws {
        try await GatehouseHarness.run(routes: { Self.routes(http: $0, ws: 1) }) { h in
            try await h.login()
            await #expect(throws: WebSocketUpstream.Failure.refused(.badGateway)) {
                _ = try await WebSocketUpstream.connect(url: URL(string: h.gatehouse + "/ws/echo")!, headers: h.browserUpgradeHeaders(), maxFrameSize: 1 << 16, timeout: .seconds(10))
            }
            #expect(try await h.user().status == 200)
        }
    }

    static func routes(http: URL, ws port: Int) -> [Route] {
        [
            Route(path: "/api/", upstream: http),
            Route(path: "/ws/", upstream: URL(string: "http://127.0.0.1:\(port)/")!, stripPrefix: true, websocket: true),
        ]
    }
}

extension GatehouseHarness {
    /// What a browser sends on `new WebSocket(...)` from the SPA: its Origin and its cookies (no CSRF header).
    func browserUpgradeHeaders() -> HTTPHeaders {
        ["Origin": configuration.origin, "Cookie": "\(configuration.session.cookieName)=\(sessionCookie ?? "")"]
    }

    /// The bearer the HTTP proxy sends for this session now.
    func bearerSeenByUpstream() async throws -> String? {
        let page = try await browser.get(gatehouse + "/api/headers", headers: [("X-CSRF", "1")])
        let body = try JSONSerialization.jsonObject(with: Data(page.body.utf8)) as? [String: Any]
        return (body?["headers"] as? [String: String])?["authorization"]
    }
}

/// What the echo upstream saw.
actor EchoLog {
    struct Upgrade: Sendable {
        var path: String?
        var authorization: String?
        var cookie: String?
        /// The `DPoP` proof header, when the session's tokens are DPoP-bound.
        var dpop: String? = nil
        var traceparent: String? = nil
    }

    var upgrades: [Upgrade] = []
    var closeCodes: [WebSocketErrorCode?] = []

    func add(_ upgrade: Upgrade) { upgrades.append(upgrade) }
    func add(closeCode: WebSocketErrorCode?) { closeCodes.append(closeCode) }
}

struct EchoUpstream: Sendable {
    let port: Int
    let log: EchoLog
}

/// A WebSocket echo server on a free loopback port, for one test.
func withEchoUpstream(_ body: @Sendable (EchoUpstream) async throws -> Void) async throws {
    let log = EchoLog()
    let port = try freeLoopbackPort()
    let (ready, continuation) = AsyncStream<String>.makeStream()
    var quiet = Logger(label: "ws-echo")
    quiet.logLevel = .warning
    let app = Application(
        router: Router(),
        server: HTTPServerBuilder { responder in
            WebSocketUpgradeChannel(responder: responder, maxFrameSize: 1 << 20, limits: ListenerLimits(), secure: false) { request, _ in
                await log.add(.init(
                    path: request.path, authorization: request.headerFields[.authorization], cookie: request.headerFields[.cookie],
                    dpop: request.headerFields[HTTPField.Name("DPoP")!], traceparent: request.headerFields[HTTPField.Name("traceparent")!]
                ))
                return .upgrade([:]) { socket in await echo(socket, log: log) }
            }
        },
        configuration: .init(address: .hostname("127.0.0.1", port: port)),
        onServerRunning: { _ in continuation.yield("up") },
        logger: quiet
    )
    let group = ServiceGroup(configuration: .init(services: [app], logger: quiet))
    try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        defer { tasks.cancelAll() }
        _ = try #require(await GatehouseHarness.firstValue(ready))
        do {
            try await body(EchoUpstream(port: port, log: log))
        } catch {
            await group.triggerGracefulShutdown()
            throw error
        }
        await group.triggerGracefulShutdown()
    }
}

private func echo(_ socket: WebSocketFrameChannel, log: EchoLog) async {
    try? await socket.executeThenClose { inbound, outbound in
        for try await frame in inbound {
            switch frame.opcode {
            case .connectionClose:
                var data = frame.unmaskedData
                await log.add(closeCode: data.readWebSocketErrorCode())
                try await outbound.write(WebSocketFrame(fin: true, opcode: .connectionClose, data: frame.unmaskedData))
                return
            case .ping:
                try await outbound.write(WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData))
            case .text, .binary, .continuation:
                try await outbound.write(WebSocketFrame(fin: frame.fin, opcode: frame.opcode, data: frame.unmaskedData))
            default:
                break
            }
        }
    }
}

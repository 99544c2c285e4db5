import Foundation
import GatehouseOAuth
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1

/// Decides each WebSocket upgrade before the 101 is sent: only routes with
/// `websocket: true`; the `Origin` must be `public_url`'s (a browser cannot
/// add the CSRF header to an upgrade, so this is the cross-site check); the
/// token follows the route's mode; and the upstream is connected first, so a
/// dead upstream is a clean 502 rather than an open-then-closed socket.
struct WebSocketGate: Sendable {
    let routes: LiveRoutes
    let configuration: GatehouseConfiguration
    let bearers: BearerResolver
    let metrics: GatehouseMetrics
    let logger: Logger
    let maxFrameSize: Int
    /// With tracing on, each upgrade is a server span and the upstream handshake carries its traceparent.
    var tracing: RequestTracing? = nil

    /// Headers the upstream handshake sets itself, or that would negotiate what the relay does not carry.
    private static let handshakeHeaders: Set<String> = ["sec-websocket-key", "sec-websocket-version", "sec-websocket-extensions", "sec-websocket-accept"]

    func decide(_ head: HTTPRequest, peer: SocketAddress?) async -> WebSocketUpgradeDecision {
        let target = head.path ?? "/"
        let path = target.split(separator: "?", maxSplits: 1).first.map(String.init) ?? "/"
        // NIO does not hand a refused upgrade request on to the router, so every answer is given here:
        // an API route without `websocket: true` is refused like a call without the CSRF header.
        guard let (route, upstream) = routes.current.match(path) else { return .refuse(.notFound) }
        guard route.websocket else { return .refuse(.forbidden) }
        let started = ContinuousClock.now
        let label = RequestLabel.webSocket(route)
        let decision: WebSocketUpgradeDecision
        if let tracing {
            decision = await tracing.withSpan("GET \(label)", context: tracing.context(from: head.headerFields), ofKind: .server) { span in
                span.attributes["http.request.method"] = "GET"
                span.attributes["http.route"] = label
                let decision = await decide(head, route: route, upstream: upstream, target: target, peer: peer)
                RequestTracing.record(status: Self.status(decision), on: span)
                return decision
            }
        } else {
            decision = await decide(head, route: route, upstream: upstream, target: target, peer: peer)
        }
        metrics.request(route: label, status: Self.status(decision), duration: ContinuousClock.now - started)
        return decision
    }

    private static func status(_ decision: WebSocketUpgradeDecision) -> Int {
        switch decision {
        case .upgrade: 101
        case .refuse(let status): status.code
        }
    }

    private func decide(_ head: HTTPRequest, route: Route, upstream: RouteUpstream, target: String, peer: SocketAddress?) async -> WebSocketUpgradeDecision {
        guard head.headerFields[.origin] == configuration.origin else {
            logger.info("websocket upgrade refused: foreign origin", metadata: ["gatehouse.event": EventName.websocketOriginRefused, "gatehouse.route": "\(route.path)"])
            return .refuse(.forbidden)
        }
        guard route.allows(method: "GET") else { return .refuse(.methodNotAllowed) }
        let request = Request(head: head, body: RequestBody(buffer: ByteBuffer()))
        let bearer: BearerResolver.Bearer
        do {
            bearer = try await bearers.resolve(for: route, request: request)
        } catch let error as BFFError {
            return .refuse(error.status)
        } catch {
            return .refuse(.badGateway)
        }
        let query = target.split(separator: "?", maxSplits: 1).dropFirst().first.map(String.init)
        let path = target.split(separator: "?", maxSplits: 1).first.map(String.init) ?? "/"
        guard let url = URL(string: upstream.url(path: path, query: query)) else { return .refuse(.badGateway) }

        // The upgrade is a GET to the upstream's http(s) URL: that is what a DPoP proof names.
        let proof = bearer.proof(method: "GET", url: upstream.url(path: path, query: nil), now: bearers.controller.now(), random: bearers.controller.random)
        var headers = UpstreamHeaders(configuration: configuration).request(
            head.headerFields, peer: peer, bearer: bearer.token, proof: proof,
            dropping: tracing == nil ? Self.handshakeHeaders : Self.handshakeHeaders.union(APIProxyMiddleware.traceHeaders)
        )
        tracing?.inject(into: &headers)

        let upstream: WebSocketFrameChannel
        let subprotocol: String?
        do {
            (upstream, subprotocol) = try await WebSocketUpstream.connect(
                url: url, headers: headers, maxFrameSize: maxFrameSize, timeout: .nanoseconds(Int64(route.timeout / .nanoseconds(1)))
            )
        } catch WebSocketUpstream.Failure.timedOut {
            return .refuse(.gatewayTimeout)
        } catch {
            logger.warning("websocket upstream failed", metadata: ["gatehouse.route": "\(route.path)", "gatehouse.error": "\(error)"])
            return .refuse(.badGateway)
        }
        var accepted = HTTPHeaders()
        if let subprotocol { accepted.add(name: "Sec-WebSocket-Protocol", value: subprotocol) }
        let logger = self.logger
        let streams = bearers.controller.streams
        var sessionEnded: (@Sendable () async -> Void)?
        if let (key, record) = bearer.session {
            sessionEnded = { await streams.waitForEnd(of: key, record: record) }
        }
        return .upgrade(accepted) { [sessionEnded] browser in
            await WebSocketRelay.run(browser: browser, upstream: upstream, logger: logger, sessionEnded: sessionEnded)
        }
    }
}

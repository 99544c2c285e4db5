import HTTPTypes
package import HummingbirdCore
package import Logging
package import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1
import NIOWebSocket
import Synchronization

/// The public listener's child channel when a route proxies WebSockets: HTTP/1
/// as Hummingbird's own `HTTP1Channel` sets it up, plus NIO's upgrade handler.
///
/// Hummingbird's WebSocket package answers every refused upgrade with 400 and
/// hides close frames; Gatehouse must answer 401/403/502 as the contract says
/// and pass close codes through, so the upgrade is handled at the NIO level.
struct WebSocketUpgradeChannel: ServerChildChannel, HTTPChannelHandler {
    enum Outcome: Sendable {
        case websocket(WebSocketFrameChannel, @Sendable (WebSocketFrameChannel) async -> Void)
        case http(NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>, refusal: HTTPResponse.Status?)
    }

    struct Value: ServerChildChannelValue {
        let outcome: EventLoopFuture<Outcome>
        let channel: any Channel
    }

    let responder: HTTPChannelHandler.Responder
    let maxFrameSize: Int
    let limits: ListenerLimits
    /// Behind ``PublicTLSChannel``, which has set TLS up already.
    let secure: Bool
    let decide: @Sendable (HTTPRequest, SocketAddress?) async -> WebSocketUpgradeDecision

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let decide = self.decide
        let secure = self.secure
        return channel.eventLoop.makeCompletedFuture {
            // Written on the event loop by shouldUpgrade, read by the completion handlers that follow it.
            let refusal = Mutex<HTTPResponse.Status?>(nil)
            let relay = Mutex<(@Sendable (WebSocketFrameChannel) async -> Void)?>(nil)
            let upgrader = NIOTypedWebSocketServerUpgrader<Outcome>(
                maxFrameSize: maxFrameSize,
                shouldUpgrade: { channel, head in
                    let promise = channel.eventLoop.makePromise(of: HTTPHeaders?.self)
                    promise.completeWithTask {
                        guard let request = try? HTTPRequest(head, secure: secure, splitCookie: false) else {
                            refusal.withLock { $0 = .badRequest }
                            return nil
                        }
                        switch await decide(request, channel.remoteAddress) {
                        case .refuse(let status):
                            refusal.withLock { $0 = status }
                            return nil
                        case .upgrade(let headers, let run):
                            relay.withLock { $0 = run }
                            return headers
                        }
                    }
                    return promise.futureResult
                },
                upgradePipelineHandler: { channel, _ in
                    channel.eventLoop.makeCompletedFuture {
                        PublicHTTP1Channel.removeGuard(from: channel)
                        let frames = try WebSocketFrameChannel(wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
                        guard let run = relay.withLock({ $0 }) else { throw ChannelError.inappropriateOperationForState }
                        return Outcome.websocket(frames, run)
                    }
                }
            )
            // Not upgraded. Without an upgrade request NIO replays the request into plain HTTP; a
            // refused upgrade request is not replayed (NIO drops it), so it is answered here.
            let upgrades = NIOTypedHTTPServerUpgradeConfiguration<Outcome>(
                upgraders: [upgrader],
                notUpgradingCompletionHandler: { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(HTTP1ToHTTPServerCodec(secure: secure))
                        try channel.pipeline.syncOperations.addHandler(HTTPConnectionStateHandler(idleTimeout: nil, logger: logger))
                        let http = try NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>(
                            wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true)
                        )
                        return Outcome.http(http, refusal: refusal.withLock { $0 })
                    }
                }
            )
            var configuration = NIOUpgradableHTTPServerPipelineConfiguration(upgradeConfiguration: upgrades)
            configuration.enablePipelining = false
            configuration.enableErrorHandling = false
            configuration.enableResponseHeaderValidation = false
            configuration.decoderConfiguration = RequestHeadGuard.decoderLimits(limits)
            let outcome = try channel.pipeline.syncOperations.configureUpgradableHTTPServerPipeline(configuration: configuration)
            try PublicHTTP1Channel.addGuard(to: channel, limits: limits)
            return Value(outcome: outcome, channel: channel)
        }
    }

    func handle(value: Value, logger: Logger) async {
        do {
            switch try await value.outcome.get() {
            case .http(let http, refusal: nil):
                await handleHTTP(asyncChannel: http, logger: logger)
            case .http(let http, refusal: let status?):
                try await http.executeThenClose { _, outbound in
                    let head = HTTPResponse(status: status, headerFields: [.connection: "close", .contentLength: "0"])
                    try await outbound.write(contentsOf: [.head(head), .end(nil)])
                }
            case .websocket(let frames, let run):
                await run(frames)
            }
        } catch {
            logger.debug("upgrade failed", metadata: ["gatehouse.error": "\(String(describing: type(of: error)))"])
        }
    }
}

import HummingbirdCore
import HummingbirdHTTP2
import Logging
import NIOCore
import NIOSSL
import NIOTLS

/// The public listener with `tls:`: TLS first, then HTTP/2 or HTTP/1.1 as the client's ALPN
/// offer picks (a client that offers neither gets HTTP/1.1).
///
/// HTTP/1.1 is `HTTP1`, the same guarded pipeline as without TLS (WebSockets stay there: Gatehouse
/// does not advertise RFC 8441, so browsers open an HTTP/1.1 connection for them). HTTP/2 is
/// Hummingbird's `HTTP2Channel` with an ``HTTP2StreamGuard`` in every stream and the keep-alive
/// timeout as its idle timeout.
struct PublicTLSChannel<HTTP1: HTTPChannelHandler>: ServerChildChannel, HTTPChannelHandler {
    enum Negotiated: Sendable {
        case http1(HTTP1.Value)
        case http2(HTTP2Channel.Value)
    }

    struct Value: ServerChildChannelValue {
        let negotiated: EventLoopFuture<Negotiated>
        let channel: any Channel
    }

    let http1: HTTP1
    let http2: HTTP2Channel
    let tls: ListenerTLS
    /// How long the handshake may take (the header read timeout: a client that never finishes
    /// its handshake must not hold a connection).
    let handshakeTimeout: TimeAmount

    init(http1: HTTP1, tls: ListenerTLS, limits: ListenerLimits) {
        self.http1 = http1
        self.tls = tls
        self.handshakeTimeout = TimeAmount(limits.headerReadTimeout)
        let maxHeaderCount = limits.maxHeaderCount
        self.http2 = HTTP2Channel(
            responder: http1.responder,
            configuration: .init(
                idleTimeout: limits.keepAliveTimeout,
                streamConfiguration: .init(additionalChannelHandlers: [HTTP2StreamGuard(maxHeaderCount: maxHeaderCount)])
            )
        )
    }

    var responder: Responder { http1.responder }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls.current))
            let deadline = channel.eventLoop.scheduleTask(in: handshakeTimeout) { channel.close(promise: nil) }
            let negotiation = NIOTypedApplicationProtocolNegotiationHandler<Negotiated> { result in
                deadline.cancel()
                switch result {
                case .negotiated("h2"):
                    return http2.setup(channel: channel, logger: logger).map(Negotiated.http2)
                case .negotiated("http/1.1"), .fallback:
                    return http1.setup(channel: channel, logger: logger).map(Negotiated.http1)
                case .negotiated:
                    return channel.close().flatMapThrowing { throw ChannelError.inappropriateOperationForState }
                }
            }
            try channel.pipeline.syncOperations.addHandler(negotiation)
            return Value(negotiated: negotiation.protocolNegotiationResult, channel: channel)
        }
    }

    func handle(value: Value, logger: Logger) async {
        do {
            switch try await value.negotiated.get() {
            case .http1(let connection): await http1.handle(value: connection, logger: logger)
            case .http2(let connection): await http2.handle(value: connection, logger: logger)
            }
        } catch {
            logger.debug("TLS connection ended before a protocol was agreed", metadata: ["gatehouse.error": "\(String(describing: type(of: error)))"])
        }
    }
}

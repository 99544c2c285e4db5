import HTTPTypes
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1
import NIOSSL

/// The public listener's HTTP/1 child channel: Hummingbird's `HTTP1Channel` pipeline with the
/// ``RequestHeadGuard`` between NIO's decoder and everything that routes, so the target check,
/// the header limits and the connection deadlines hold for every request.
struct PublicHTTP1Channel: ServerChildChannel, HTTPChannelHandler {
    typealias Value = NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>

    let responder: HTTPChannelHandler.Responder
    let limits: ListenerLimits
    /// Behind ``PublicTLSChannel``, which has set TLS up already.
    let secure: Bool

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.configureHTTPServerPipeline(
                withPipeliningAssistance: false,  // NIOAsyncChannel reads one request at a time
                withErrorHandling: false,  // the guard answers parse errors
                withOutboundHeaderValidation: false,  // HTTPTypes validates
                withEncoderConfiguration: .init(),
                withDecoderLimitConfiguration: RequestHeadGuard.decoderLimits(limits)
            )
            try Self.addGuard(to: channel, limits: limits)
            try channel.pipeline.syncOperations.addHandler(HTTP1ToHTTPServerCodec(secure: secure))
            try channel.pipeline.syncOperations.addHandler(HTTPConnectionStateHandler(idleTimeout: nil, logger: logger))
            return try NIOAsyncChannel(wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
        }
    }

    func handle(value asyncChannel: Value, logger: Logger) async {
        await handleHTTP(asyncChannel: asyncChannel, logger: logger)
    }

    /// Puts the guard right after the HTTP/1 decoder, and its activity probe at the front of the
    /// plaintext (after TLS, so a request's first byte is a byte of HTTP).
    @discardableResult
    static func addGuard(to channel: any Channel, limits: ListenerLimits) throws -> RequestHeadGuard {
        let operations = channel.pipeline.syncOperations
        let guardHandler = RequestHeadGuard(limits: limits)
        let decoder = try operations.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
        try operations.addHandler(guardHandler, position: .after(decoder))
        let probe = ConnectionActivity(notifying: guardHandler)
        if let tls = try? operations.handler(type: NIOSSLServerHandler.self) {
            try operations.addHandler(probe, position: .after(tls))
        } else {
            try operations.addHandler(probe, position: .first)
        }
        return guardHandler
    }

    /// After a protocol switch the guard and its probe have nothing left to do.
    static func removeGuard(from channel: any Channel) {
        let operations = channel.pipeline.syncOperations
        if let probe = try? operations.handler(type: ConnectionActivity.self) { operations.removeHandler(probe, promise: nil) }
        if let guardHandler = try? operations.handler(type: RequestHeadGuard.self) { operations.removeHandler(guardHandler, promise: nil) }
    }
}

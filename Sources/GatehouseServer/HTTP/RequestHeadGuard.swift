import NIOCore
import NIOHTTP1

/// The first look at every request on the public listener, below Hummingbird and the WebSocket
/// upgrader, so no route, middleware or upgrade ever sees what it refuses:
///
/// - a request target that is not canonical (``RequestTarget``) is 400;
/// - more than `limits.max_header_count` headers, or a head larger than the decoder allows, is 431;
/// - a client must send its whole request head within `limits.header_read_timeout` of its first
///   byte (or of connecting), and an idle keep-alive connection is closed after
///   `limits.keep_alive_timeout` (slowloris; nothing here resets a deadline per byte).
///
/// It sits right after NIO's HTTP/1 decoder; ``ConnectionActivity`` at the front of the pipeline
/// tells it when the first byte of a request arrives, which the decoder does not report.
final class RequestHeadGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private enum Phase {
        /// Between requests: the keep-alive deadline runs until a byte arrives.
        case waitingForRequest
        /// Bytes of a head have arrived (or the connection is new): the head deadline runs.
        case readingHead
        /// A head was accepted; no deadline until its response ends.
        case inRequest
        /// Switched protocols (WebSocket): everything passes untouched.
        case upgraded
        /// A refusal is written or waits for the response in flight; everything inbound is dropped.
        case refusing
    }

    private let headerReadTimeout: TimeAmount
    private let keepAliveTimeout: TimeAmount
    private let maxHeaderCount: Int
    private var phase = Phase.readingHead
    private var started = false
    private var responseInFlight = false
    /// Bytes of the current head's request line seen so far, and whether it has ended: a
    /// decoder overflow caused by the line itself is an oversized target (400, as for an
    /// oversized `code` or `state`), anything else too many or too large headers (431).
    private var requestLineLength = 0
    private var requestLineComplete = false
    private var pendingRefusal: GuardRefusal?
    private var deadline: NIOScheduledCallback?
    private var context: ChannelHandlerContext?

    init(limits: ListenerLimits) {
        self.headerReadTimeout = TimeAmount(limits.headerReadTimeout)
        self.keepAliveTimeout = TimeAmount(limits.keepAliveTimeout)
        self.maxHeaderCount = limits.maxHeaderCount
    }

    /// The decoder's limits that go with this guard: it answers their overflow with 431.
    static func decoderLimits(_ limits: ListenerLimits) -> NIOHTTPDecoderLimitConfiguration {
        var configuration = NIOHTTPDecoderLimitConfiguration()
        configuration.maxHeaderFieldCount = limits.maxHeaderCount
        return configuration
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { start(context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancelDeadline()
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelDeadline()
        context.fireChannelInactive()
    }

    /// A fresh connection must send its first head within the head deadline.
    private func start(_ context: ChannelHandlerContext) {
        guard !started else { return }
        started = true
        phase = .readingHead
        schedule(headerReadTimeout, context)
    }

    /// Called by ``ConnectionActivity`` for every read from the socket.
    func bytesArrived(_ bytes: ByteBuffer) {
        if case .waitingForRequest = phase, let context {
            phase = .readingHead
            requestLineLength = 0
            requestLineComplete = false
            schedule(headerReadTimeout, context)
        }
        if case .readingHead = phase, !requestLineComplete {
            let view = bytes.readableBytesView
            if let newline = view.firstIndex(of: UInt8(ascii: "\n")) {
                requestLineLength += newline - view.startIndex
                requestLineComplete = true
            } else {
                requestLineLength += view.count
            }
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch phase {
        case .upgraded:
            context.fireChannelRead(data)
            return
        case .refusing:
            return
        case .waitingForRequest, .readingHead, .inRequest:
            break
        }
        guard case .head(let head) = unwrapInboundIn(data) else {
            context.fireChannelRead(data)
            return
        }
        cancelDeadline()
        if head.headers.count > maxHeaderCount {
            refuse(.tooManyHeaders, context)
        } else if let problem = RequestTarget.problem(in: head.uri) {
            refuse(.badTarget(problem), context)
        } else {
            phase = .inRequest
            context.fireChannelRead(data)
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .upgraded = phase {
            context.write(data, promise: promise)
            return
        }
        switch unwrapOutboundIn(data) {
        case .head(let head) where head.status == .switchingProtocols:
            phase = .upgraded
            cancelDeadline()
            context.write(data, promise: promise)
        case .head(let head) where head.status.code < 200:
            context.write(data, promise: promise)
        case .head:
            responseInFlight = true
            context.write(data, promise: promise)
        case .body:
            context.write(data, promise: promise)
        case .end:
            responseInFlight = false
            context.write(data, promise: promise)
            if let refusal = pendingRefusal {
                pendingRefusal = nil
                context.flush()
                send(refusal, context)
            } else if case .inRequest = phase {
                phase = .waitingForRequest
                schedule(keepAliveTimeout, context)
            }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // The decoder closes the connection after a parse error; answer it first when no response is on the wire.
        if let parserError = error as? HTTPParserError, !responseInFlight, phase != .upgraded, phase != .refusing {
            phase = .refusing
            cancelDeadline()
            let lineOverflowed = requestLineLength >= Self.decoderLimits(.init()).maxHeaderFieldSize
            send(parserError == .headerOverflow && !lineOverflowed ? .tooManyHeaders : .malformed, context)
        }
        context.fireErrorCaught(error)
    }

    private func refuse(_ refusal: GuardRefusal, _ context: ChannelHandlerContext) {
        phase = .refusing
        if responseInFlight {
            pendingRefusal = refusal
        } else {
            send(refusal, context)
        }
    }

    private func send(_ refusal: GuardRefusal, _ context: ChannelHandlerContext) {
        let body = context.channel.allocator.buffer(string: refusal.body)
        var headers = HTTPHeaders(refusal.headers)
        headers.add(name: "Content-Length", value: String(body.readableBytes))
        headers.add(name: "Connection", value: "close")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: refusal.status, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in context.close(promise: nil) }
    }

    private func schedule(_ timeout: TimeAmount, _ context: ChannelHandlerContext) {
        cancelDeadline()
        let channel = context.channel
        deadline = context.eventLoop.schedule(in: timeout) {
            // Too slow or idle for too long: no answer, the client is not listening anyway.
            channel.close(promise: nil)
        }
    }

    private func cancelDeadline() {
        deadline?.cancel()
        deadline = nil
    }
}

/// At the front of the public pipeline: tells the ``RequestHeadGuard`` that bytes arrived, and
/// passes them on untouched (also after a protocol switch, when they are no longer HTTP).
final class ConnectionActivity: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let guardHandler: RequestHeadGuard

    init(notifying guardHandler: RequestHeadGuard) {
        self.guardHandler = guardHandler
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guardHandler.bytesArrived(unwrapInboundIn(data))
        context.fireChannelRead(data)
    }
}

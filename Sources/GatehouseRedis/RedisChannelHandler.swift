package import NIOCore

/// Matches pipelined commands to replies in order, and fails every waiting
/// command when the connection breaks or the oldest command overstays its deadline.
///
/// Writes are flushed once per event-loop tick, so commands sent by many callers
/// at once leave in one syscall.
final class RedisChannelHandler: ChannelDuplexHandler {
    typealias InboundIn = RedisReply
    typealias OutboundIn = RedisRequest
    typealias OutboundOut = ByteBuffer

    private struct Pending {
        var promise: EventLoopPromise<RedisReply>
        var deadline: NIODeadline
    }

    private var pending = CircularBuffer<Pending>(initialCapacity: 64)
    private var closedWith: RedisClientError?
    private var flushScheduled = false
    private var sweeper: Scheduled<Void>?
    private let commandTimeout: TimeAmount
    private let onPush: (@Sendable (RedisReply) -> Void)?

    /// - Parameter onPush: for a subscribed connection: receives `message`
    ///   pushes, which answer no command. Without it a push is a protocol error.
    init(commandTimeout: TimeAmount, onPush: (@Sendable (RedisReply) -> Void)? = nil) {
        self.commandTimeout = commandTimeout
        self.onPush = onPush
    }

    func handlerAdded(context: ChannelHandlerContext) {
        scheduleSweep(context: context)
    }

    /// Checking only the oldest command keeps the per-command cost at zero
    /// timers; a quarter of the timeout bounds how late a timeout fires.
    private func scheduleSweep(context: ChannelHandlerContext) {
        let interval = TimeAmount.nanoseconds(max(10_000_000, commandTimeout.nanoseconds / 4))
        sweeper = context.eventLoop.assumeIsolated().scheduleTask(in: interval) { [self] in
            guard self.closedWith == nil else { return }
            self.sweep(context: context)
            self.scheduleSweep(context: context)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        sweeper?.cancel()
        sweeper = nil
        failAll(closedWith ?? .connectionClosed)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        if let closedWith {
            request.promise.fail(closedWith)
            promise?.fail(closedWith)
            return
        }
        pending.append(Pending(promise: request.promise, deadline: context.eventLoop.now + commandTimeout))
        context.write(wrapOutboundOut(request.encoded), promise: promise)
        if !flushScheduled {
            flushScheduled = true
            context.eventLoop.assumeIsolated().execute { [self] in
                self.flushScheduled = false
                context.flush()
            }
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let reply = unwrapInboundIn(data)
        if let onPush, reply.isPubSubMessage {
            onPush(reply)
            return
        }
        guard let first = pending.popFirst() else {
            // A reply nobody asked for: the stream is out of step; trust nothing after it.
            fail(context: context, with: .protocolError("reply without a command"))
            return
        }
        first.promise.succeed(reply)
    }

    func channelInactive(context: ChannelHandlerContext) {
        markClosed(.connectionClosed)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // Decoder failures arrive as RedisClientError; anything else is the
        // transport breaking (reset, TLS failure), which is a closed connection.
        let redisError = (error as? RedisClientError) ?? .connectionClosed
        fail(context: context, with: redisError)
    }

    private func sweep(context: ChannelHandlerContext) {
        guard let oldest = pending.first, oldest.deadline < context.eventLoop.now else { return }
        // Later replies would be matched to the wrong callers once one is given up on.
        fail(context: context, with: .commandTimeout)
    }

    private func fail(context: ChannelHandlerContext, with error: RedisClientError) {
        markClosed(error)
        context.close(promise: nil)
    }

    private func markClosed(_ error: RedisClientError) {
        if closedWith == nil { closedWith = error }
        failAll(closedWith ?? error)
    }

    private func failAll(_ error: RedisClientError) {
        while let next = pending.popFirst() {
            next.promise.fail(error)
        }
    }
}

extension RedisReply {
    /// `["message", channel, payload]`: what a subscribed connection receives unasked.
    var isPubSubMessage: Bool {
        guard case .array(let items) = self, items.count == 3, let kind = items[0].bytes else { return false }
        return kind == Array("message".utf8)
    }
}

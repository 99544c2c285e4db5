import NIOCore
import NIOHTTP1

/// One keep-alive HTTP/1.1 connection to an upstream, used by one request at a time (the pool
/// hands a connection to one lease at a time).
///
/// Its answer parts go through ``UpstreamConnection/Inbox``, a handler at the end of the
/// pipeline, instead of an `NIOAsyncChannel`: with tasks on the event loops, a part that already
/// arrived is taken without a suspension, and a request pays for none of the async channel's
/// writer and producer state machines (callgrind: they were a tenth of a proxied request).
final class UpstreamConnection: @unchecked Sendable {
    let channel: any Channel
    private let inbox: Inbox
    /// Whether it has carried a request before (a failure on a reused connection may be a stale socket).
    var reused = false
    /// While it sits in the pool: the task that closes it after the idle timeout (set and
    /// cancelled under the pool's lock).
    var idleTimer: NIOScheduledCallback?

    /// Adds the HTTP/1.1 client codec and the inbox to a new channel's pipeline (on its event loop).
    static func configure(_ channel: any Channel) throws -> UpstreamConnection {
        let inbox = Inbox(eventLoop: channel.eventLoop)
        try channel.pipeline.syncOperations.addHTTPClientHandlers()
        try channel.pipeline.syncOperations.addHandler(inbox)
        return UpstreamConnection(channel: channel, inbox: inbox)
    }

    private init(channel: any Channel, inbox: Inbox) {
        self.channel = channel
        self.inbox = inbox
    }

    var isActive: Bool { channel.isActive }

    /// Writes and flushes `part`; returns once it is written to the socket.
    func write(_ part: HTTPClientRequestPart) async throws {
        try await channel.writeAndFlush(part).get()
    }

    /// Writes and flushes `parts` without waiting for the socket.
    func send(_ parts: [HTTPClientRequestPart]) {
        guard let last = parts.last else { return }
        for part in parts.dropLast() { channel.write(part, promise: nil) }
        channel.writeAndFlush(last, promise: nil)
    }

    /// The next part of the answer; nil once the connection closed. Cancelling the waiting
    /// task closes the connection (it cannot be reused mid-answer).
    func next() async throws -> HTTPClientResponsePart? {
        if channel.eventLoop.inEventLoop, let ready = try inbox.take() { return ready }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                if channel.eventLoop.inEventLoop {
                    inbox.wait(continuation)
                } else {
                    channel.eventLoop.execute { self.inbox.wait(continuation) }
                }
            }
        } onCancel: {
            self.close()
        }
    }

    func close() {
        channel.close(promise: nil)
    }

    deinit {
        // A connection dropped with its pool (or a lease) must not keep its socket.
        close()
    }

    /// The answer parts that arrived and not yet taken, or the one request waiting for the next.
    /// Confined to the channel's event loop. Reads stop while `limit` parts wait untaken (a
    /// streamed answer the browser reads slowly), so memory stays bounded.
    final class Inbox: ChannelDuplexHandler, @unchecked Sendable {
        typealias InboundIn = HTTPClientResponsePart
        typealias OutboundIn = Never

        private let eventLoop: any EventLoop
        private var parts = CircularBuffer<HTTPClientResponsePart>(initialCapacity: 4)
        private var waiter: CheckedContinuation<HTTPClientResponsePart?, any Error>?
        /// Why no more parts will come: nil while open; `.none` inside for a plain close.
        private var ended: (any Error)??
        private var context: ChannelHandlerContext?
        private var readHeld = false
        private let limit = 16

        init(eventLoop: any EventLoop) {
            self.eventLoop = eventLoop
        }

        /// A part already there, nil when none is; throws the error that ended the connection.
        func take() throws -> HTTPClientResponsePart? {
            eventLoop.assertInEventLoop()
            if let part = parts.popFirst() {
                resumeReading()
                return part
            }
            if case .some(.some(let error)) = ended { throw error }
            return nil
        }

        /// Resumes `continuation` with the next part (now, if one is there), or nil once closed.
        func wait(_ continuation: CheckedContinuation<HTTPClientResponsePart?, any Error>) {
            eventLoop.assertInEventLoop()
            if let part = parts.popFirst() {
                resumeReading()
                return continuation.resume(returning: part)
            }
            switch ended {
            case .some(.some(let error)): return continuation.resume(throwing: error)
            case .some(.none): return continuation.resume(returning: nil)
            case .none: break
            }
            precondition(waiter == nil, "one request at a time on an upstream connection")
            waiter = continuation
        }

        func handlerAdded(context: ChannelHandlerContext) {
            self.context = context
        }

        func handlerRemoved(context: ChannelHandlerContext) {
            self.context = nil
            end(nil)
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let part = unwrapInboundIn(data)
            if let waiter {
                self.waiter = nil
                waiter.resume(returning: part)
            } else {
                parts.append(part)
            }
        }

        func channelInactive(context: ChannelHandlerContext) {
            end(nil)
            context.fireChannelInactive()
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            end(error)
            context.close(promise: nil)
        }

        func read(context: ChannelHandlerContext) {
            if parts.count >= limit {
                readHeld = true
            } else {
                context.read()
            }
        }

        private func resumeReading() {
            guard readHeld, parts.count < limit / 2, let context else { return }
            readHeld = false
            context.read()
        }

        private func end(_ error: (any Error)?) {
            guard ended == nil else { return }
            ended = .some(error)
            guard let waiter else { return }
            self.waiter = nil
            if let error { waiter.resume(throwing: error) } else { waiter.resume(returning: nil) }
        }
    }
}

import NIOCore
import NIOHTTP1

/// One keep-alive HTTP/1.1 connection to an upstream, used by one request at a time.
///
/// The inbound iterator lives as long as the connection (dropping it would end
/// the stream); requests use it one after another, never at once, which the
/// pool guarantees by handing a connection to one lease at a time.
final class UpstreamConnection: @unchecked Sendable {
    let channel: any Channel
    private var inbound: NIOAsyncChannelInboundStream<HTTPClientResponsePart>.AsyncIterator
    let outbound: NIOAsyncChannelOutboundWriter<HTTPClientRequestPart>
    /// Whether it has carried a request before (a failure on a reused connection may be a stale socket).
    var reused = false
    /// While it sits in the pool: the task that closes it after the idle timeout (set and
    /// cancelled under the pool's lock).
    var idleTimer: Scheduled<Void>?

    init(_ channel: NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>) {
        self.channel = channel.channel
        // The async channel's own `executeThenClose` scoping does not fit a pooled connection:
        // its streams stay open until the pool closes the channel.
        self.inbound = channel.inbound.makeAsyncIterator()
        self.outbound = channel.outbound
    }

    var isActive: Bool { channel.isActive }

    func next() async throws -> HTTPClientResponsePart? {
        try await inbound.next()
    }

    func close() {
        outbound.finish()
        channel.close(promise: nil)
    }

    deinit {
        // NIO traps on a writer dropped unfinished; a connection dropped with its pool ends here.
        close()
    }
}

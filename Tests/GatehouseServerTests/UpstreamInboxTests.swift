@testable import GatehouseServer
import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

/// The upstream connection's inbox: what keeps a streamed answer's memory bounded when the
/// browser reads slower than the upstream sends, and what a request meets when the upstream goes.
@Suite("An upstream connection's inbox")
struct UpstreamInboxTests {
    /// Counts the reads that reach the socket (it stands where the socket is: before the inbox).
    final class ReadCounter: ChannelOutboundHandler, @unchecked Sendable {
        typealias OutboundIn = Never
        var reads = 0
        func read(context: ChannelHandlerContext) {
            reads += 1
            context.read()
        }
    }

    static func inbox() throws -> (EmbeddedChannel, UpstreamConnection.Inbox, ReadCounter) {
        let channel = EmbeddedChannel()
        let inbox = UpstreamConnection.Inbox(eventLoop: channel.eventLoop)
        let counter = ReadCounter()
        try channel.pipeline.syncOperations.addHandlers([counter, inbox])
        return (channel, inbox, counter)
    }

    static func chunk(_ index: Int) -> HTTPClientResponsePart { .body(ByteBuffer(string: "chunk \(index)")) }

    @Test("16 parts waiting untaken stop the reads; taking them down to 7 reads again, in order")
    func readsHeldWhileFull() throws {
        let (channel, inbox, counter) = try Self.inbox()
        for index in 0..<15 { try channel.writeInbound(Self.chunk(index)) }
        channel.read()
        #expect(counter.reads == 1, "below the limit reads pass")
        try channel.writeInbound(Self.chunk(15))
        channel.read()
        channel.read()
        #expect(counter.reads == 1, "16 waiting parts hold every read")
        for index in 0..<8 {
            guard case .body(let buffer) = try inbox.take() else { Issue.record("part \(index) missing"); return }
            #expect(String(buffer: buffer) == "chunk \(index)")
        }
        #expect(counter.reads == 1, "8 still waiting: still held")
        _ = try inbox.take()
        #expect(counter.reads == 2, "the held read goes out once 7 wait")
        #expect(try channel.finish().isClean)
    }

    @Test("a request waiting for the answer gets nil when the upstream closes, and the upstream's error when it breaks")
    func endOfConnection() async throws {
        let (channel, inbox, _) = try Self.inbox()
        try channel.writeInbound(Self.chunk(0))
        channel.pipeline.fireChannelInactive()
        guard case .body = try inbox.take() else { Issue.record("the part before the close is lost"); return }
        #expect(try inbox.take() == nil)
        let afterClose = try await withCheckedThrowingContinuation { inbox.wait($0) }
        #expect(afterClose == nil)

        struct Broken: Error {}
        let (broken, brokenInbox, _) = try Self.inbox()
        broken.pipeline.fireErrorCaught(Broken())
        #expect(throws: Broken.self) { try brokenInbox.take() }
        await #expect(throws: Broken.self) { try await withCheckedThrowingContinuation { brokenInbox.wait($0) } }
    }
}

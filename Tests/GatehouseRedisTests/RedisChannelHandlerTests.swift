@testable import GatehouseRedis
import NIOCore
import NIOEmbedded
import Testing

@Suite("Channel handler: pipelining, failures, timeouts")
struct RedisChannelHandlerTests {
    private func makeChannel(timeout: TimeAmount = .seconds(5)) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(RESPDecoder()))
        try channel.pipeline.syncOperations.addHandler(RedisChannelHandler(commandTimeout: timeout))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 6379)).wait()
        return channel
    }

    private func send(_ channel: EmbeddedChannel, _ words: String...) -> EventLoopFuture<RedisReply> {
        var buffer = channel.allocator.buffer(capacity: 64)
        RESPCommandEncoder.encode(words.map { Array($0.utf8) }, into: &buffer)
        let promise = channel.eventLoop.makePromise(of: RedisReply.self)
        channel.write(RedisRequest(encoded: buffer, promise: promise), promise: nil)
        return promise.futureResult
    }

    @Test("pipelined commands get their replies in order, sent in one flush")
    func pipelinedInOrder() throws {
        let channel = try makeChannel()
        let first = send(channel, "GET", "a")
        let second = send(channel, "GET", "b")
        let third = send(channel, "INCR", "c")
        channel.embeddedEventLoop.run()
        var written = ByteBuffer()
        while var part = try channel.readOutbound(as: ByteBuffer.self) { written.writeBuffer(&part) }
        #expect(String(buffer: written) == "*2\r\n$3\r\nGET\r\n$1\r\na\r\n*2\r\n$3\r\nGET\r\n$1\r\nb\r\n*2\r\n$4\r\nINCR\r\n$1\r\nc\r\n")

        try channel.writeInbound(ByteBuffer(string: "$1\r\nA\r\n$-1\r\n:3\r\n"))
        #expect(try first.wait() == .bulkString([0x41]))
        #expect(try second.wait() == .null)
        #expect(try third.wait() == .integer(3))
        _ = try channel.finish()
    }

    @Test("a connection that closes fails every waiting command with connectionClosed")
    func closeFailsWaiters() throws {
        let channel = try makeChannel()
        let futures = (0..<5).map { _ in send(channel, "PING") }
        channel.embeddedEventLoop.run()
        channel.pipeline.fireChannelInactive()
        for future in futures {
            #expect(throws: RedisClientError.connectionClosed) { try future.wait() }
        }
        // A command after the close fails at once rather than hanging.
        #expect(throws: RedisClientError.self) { try send(channel, "PING").wait() }
        _ = try? channel.finish()
    }

    @Test("the oldest command overstaying its timeout fails all and closes the connection")
    func commandTimeout() throws {
        let channel = try makeChannel(timeout: .milliseconds(100))
        let future = send(channel, "BLPOP", "q", "0")
        let later = send(channel, "PING")
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(300))
        #expect(throws: RedisClientError.commandTimeout) { try future.wait() }
        #expect(throws: RedisClientError.commandTimeout) { try later.wait() }
        #expect(!channel.isActive)
    }

    @Test("a reply nobody asked for is a protocol error that closes the connection")
    func unsolicitedReply() throws {
        let channel = try makeChannel()
        try channel.writeInbound(ByteBuffer(string: "+OK\r\n"))
        #expect(!channel.isActive)
    }
}

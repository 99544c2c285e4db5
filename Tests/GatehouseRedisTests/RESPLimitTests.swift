import Foundation
@testable import GatehouseRedis
import NIOCore
import NIOEmbedded
import NIOPosix
import NIOTestUtils
import Testing

/// A hostile or broken `redis://` peer must not make Gatehouse allocate what it announces.
@Suite("RESP reader limits: hostile length headers are protocol errors, not allocations")
struct RESPLimitTests {
    /// Feeds `wire` to a fresh decoder `step` bytes at a time; returns the error it raised, if any.
    private func firstError(feeding wire: ByteBuffer, step: Int, limits: RESPLimits = .standard) -> RedisClientError? {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(RESPDecoder(limits: limits)))
        defer { _ = try? channel.finish() }
        var wire = wire
        while wire.readableBytes > 0 {
            let chunk = wire.readSlice(length: min(step, wire.readableBytes))!
            do {
                try channel.writeInbound(chunk)
            } catch let error as RedisClientError {
                return error
            } catch {
                return .connectionClosed
            }
        }
        return nil
    }

    @Test(
        "a giant count or length header fails at once, fed whole or one byte at a time",
        arguments: ["*2000000000\r\n", "$2000000000\r\n", "*1\r\n*1\r\n$99999999999999999999999\r\n", "*3\r\n:1\r\n*2000000\r\n", "%600000\r\n"]
    )
    func giantHeaders(header: String) throws {
        for step in [1, 3, header.utf8.count] {
            let error = firstError(feeding: ByteBuffer(string: header), step: step)
            #expect(error?.isProtocolError == true, "step \(step): \(String(describing: error))")
        }
    }

    @Test("replies right at the limits decode, split anywhere; one past each limit fails")
    func boundaries() throws {
        let limits = RESPLimits(maxAggregateCount: 3, maxBulkBytes: 8, maxPendingReplyBytes: 40, maxLineBytes: 16, maxDepth: 2)
        let pairs: [(ByteBuffer, [RedisReply])] = [
            (ByteBuffer(string: "*3\r\n:1\r\n:2\r\n:3\r\n"), [.array([.integer(1), .integer(2), .integer(3)])]),
            (ByteBuffer(string: "$8\r\n12345678\r\n"), [.bulkString(Array("12345678".utf8))]),
            (ByteBuffer(string: "+0123456789ab\r\n"), [.simpleString("0123456789ab")]),
            (ByteBuffer(string: "*2\r\n*1\r\n$-1\r\n*0\r\n"), [.array([.array([.null]), .array([])])]),
            // The pending-bytes count starts again with each reply.
            (ByteBuffer(string: "*2\r\n$8\r\n12345678\r\n$8\r\n12345678\r\n*2\r\n$8\r\n12345678\r\n$8\r\n12345678\r\n"), [
                .array([.bulkString(Array("12345678".utf8)), .bulkString(Array("12345678".utf8))]),
                .array([.bulkString(Array("12345678".utf8)), .bulkString(Array("12345678".utf8))]),
            ]),
        ]
        try ByteToMessageDecoderVerifier.verifyDecoder(inputOutputPairs: pairs) { RESPDecoder(limits: limits) }
        for bad in ["*4\r\n", "$9\r\n", "+0123456789abcde\r\n", "*1\r\n*1\r\n*1\r\n", "*3\r\n$8\r\n12345678\r\n$8\r\n12345678\r\n$8\r\n12345678\r\n",
                    "$2\r\nabXY", "$-2\r\n", "$1x\r\n", "$\r\n", "?\r\n"] {
            for step in [1, 1000] {
                #expect(firstError(feeding: ByteBuffer(string: bad), step: step, limits: limits)?.isProtocolError == true, "\(bad.debugDescription) step \(step)")
            }
        }
    }

    @Test(
        "~70 MiB of a reply that never ends is refused before it is buffered, without RSS ballooning",
        arguments: ["bulk without its CRLF", "array of maximal bulks", "status line without CRLF"]
    )
    func seventyMebibytes(shape: String) throws {
        let limits = RESPLimits.standard
        var head: String
        switch shape {
        case "bulk without its CRLF": head = "$\(limits.maxBulkBytes)\r\n"
        case "array of maximal bulks": head = "*3\r\n$\(limits.maxBulkBytes)\r\n"
        default: head = "+"
        }
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(RESPDecoder()))
        defer { _ = try? channel.finish() }
        let baseline = residentBytes()
        var peak = baseline
        try channel.writeInbound(ByteBuffer(string: head))
        let chunk = ByteBuffer(repeating: UInt8(ascii: "x"), count: 1 << 16)
        let separator = ByteBuffer(string: "\r\n$\(limits.maxBulkBytes)\r\n")
        var sent = 0
        var failure: (any Error)?
        while sent < 70 << 20 {
            do {
                try channel.writeInbound(chunk)
                sent += chunk.readableBytes
                if shape == "array of maximal bulks", sent % limits.maxBulkBytes == 0 { try channel.writeInbound(separator) }
            } catch {
                failure = error
                break
            }
            if sent % (4 << 20) == 0 { peak = max(peak, residentBytes()) }
        }
        peak = max(peak, residentBytes())
        #expect((failure as? RedisClientError)?.isProtocolError == true, "refused after \(sent >> 20) MiB: \(String(describing: failure))")
        #expect(sent < 70 << 20, "before all 70 MiB were taken")
        #expect(peak - baseline < 160 << 20, "RSS grew by \((peak - baseline) >> 20) MiB")
    }

    @Test("a giant array header fails the waiting command with a protocol error and closes the connection")
    func handlerClosesOnGiantHeader() throws {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(RESPDecoder()))
        try channel.pipeline.syncOperations.addHandler(RedisChannelHandler(commandTimeout: .seconds(5)))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 6379)).wait()
        var buffer = channel.allocator.buffer(capacity: 32)
        RESPCommandEncoder.encode([Array("PING".utf8)], into: &buffer)
        let promise = channel.eventLoop.makePromise(of: RedisReply.self)
        channel.write(RedisRequest(encoded: buffer, promise: promise), promise: nil)
        channel.embeddedEventLoop.run()
        for byte in "*2000000000\r\n".utf8 {
            _ = try? channel.writeInbound(ByteBuffer(bytes: [byte]))
        }
        do {
            _ = try promise.futureResult.wait()
            Issue.record("the command must fail")
        } catch {
            #expect((error as? RedisClientError)?.isProtocolError == true, "\(error)")
        }
        #expect(!channel.isActive)
    }

    @Test("a fake Redis answering with a giant header fails the call with a protocol error; the process lives on",
          arguments: ["*2000000000\r\n", "$2000000000\r\n"])
    func hostilePeerOverASocket(answer: String) async throws {
        let peer = try await HostileRedis.start(answer: answer)
        let client = try RedisClient(configuration: RedisConfiguration(
            endpoint: RedisEndpoint(host: "127.0.0.1", port: peer.port), poolSize: 1,
            // A long command timeout: a reply refused by its header is a protocol error, while a
            // reader that waited for two billion elements would end in `.commandTimeout`.
            timeouts: .init(connect: .seconds(2), command: .seconds(60)),
            backoff: Backoff(initial: .milliseconds(20), maximum: .milliseconds(200))
        ))
        for attempt in 0..<2 {
            do {
                try await client.ping()
                Issue.record("a reply announcing two billion elements is not PONG")
            } catch let error as RedisClientError {
                // A second call may still meet the connection the first one's error is closing.
                #expect(error.isProtocolError || (attempt > 0 && error.isConnectionFailure), "\(error)")
            }
        }
        await client.shutdown()
        try await peer.stop()
    }
}

/// A TCP listener on 127.0.0.1 that answers whatever it is sent with one fixed (hostile) reply.
struct HostileRedis {
    let channel: any Channel
    var port: Int { channel.localAddress!.port! }

    static func start(answer: String) async throws -> HostileRedis {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(Answerer(answer: answer)) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return HostileRedis(channel: channel)
    }

    func stop() async throws {
        try await channel.close()
    }

    private final class Answerer: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        let answer: String
        init(answer: String) { self.answer = answer }
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: answer)), promise: nil)
        }
    }
}

/// This process's resident set size now, from `/proc/self/statm` (pages: size, resident, …).
func residentBytes() -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
    let fields = text.split(separator: " ")
    guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
}

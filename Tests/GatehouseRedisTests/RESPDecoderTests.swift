@testable import GatehouseRedis
import NIOCore
import NIOEmbedded
import NIOTestUtils
import Testing

@Suite("RESP decoding with hiredis's reader")
struct RESPDecoderTests {
    private func buffer(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }

    @Test("every reply type decodes the same whole, split and one byte at a time")
    func everyReplyType() throws {
        let binary: [UInt8] = [0x00, 0x0D, 0x0A, 0xFF, 0x24, 0x2A, 0x00]
        var binaryWire = ByteBuffer(string: "$\(binary.count)\r\n")
        binaryWire.writeBytes(binary)
        binaryWire.writeString("\r\n")
        let pairs: [(ByteBuffer, [RedisReply])] = [
            (buffer("+OK\r\n"), [.simpleString("OK")]),
            (buffer("-ERR unknown command 'FOO'\r\n"), [.error("ERR unknown command 'FOO'")]),
            (buffer(":-42\r\n"), [.integer(-42)]),
            (buffer(":9223372036854775807\r\n"), [.integer(.max)]),
            (buffer("$5\r\nhello\r\n"), [.bulkString(Array("hello".utf8))]),
            (buffer("$0\r\n\r\n"), [.bulkString([])]),
            (buffer("$-1\r\n"), [.null]),
            (buffer("*-1\r\n"), [.null]),
            (buffer("*0\r\n"), [.array([])]),
            (binaryWire, [.bulkString(binary)]),
            (
                buffer("*3\r\n$3\r\nfoo\r\n:7\r\n*2\r\n$-1\r\n+x\r\n"),
                [.array([.bulkString(Array("foo".utf8)), .integer(7), .array([.null, .simpleString("x")])])]
            ),
            (buffer("+a\r\n:1\r\n$1\r\nb\r\n"), [.simpleString("a"), .integer(1), .bulkString([0x62])]),
        ]
        // The verifier feeds each input whole, in pieces, and one byte at a time.
        try ByteToMessageDecoderVerifier.verifyDecoder(inputOutputPairs: pairs) { RESPDecoder() }
    }

    @Test("a 10 MiB value with NUL and CRLF bytes decodes intact when fed in small reads")
    func largeBinaryValue() throws {
        var value = tenMebibytes()
        value[0] = 0x0D
        value[1] = 0x0A
        value[value.count - 1] = 0x00
        var wire = ByteBuffer(string: "$\(value.count)\r\n")
        wire.writeBytes(value)
        wire.writeString("\r\n")

        let channel = EmbeddedChannel(handler: ByteToMessageHandler(RESPDecoder()))
        while wire.readableBytes > 0 {
            let chunk = wire.readSlice(length: min(65_536, wire.readableBytes))!
            try channel.writeInbound(chunk)
        }
        let reply = try #require(try channel.readInbound(as: RedisReply.self))
        #expect(reply == .bulkString(value))
        #expect(try channel.readInbound(as: RedisReply.self) == nil)
        _ = try channel.finish()
    }

    @Test("bytes that are not RESP raise a protocol error")
    func garbage() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(RESPDecoder()))
        #expect(throws: RedisClientError.self) {
            try channel.writeInbound(ByteBuffer(string: "HTTP/1.1 200 OK\r\n"))
        }
        _ = try? channel.finish()
    }
}

@Suite("RESP encoding with hiredis's formatter")
struct RESPCommandEncoderTests {
    @Test("arguments are length-prefixed, so NUL and CRLF inside a value survive")
    func binarySafe() {
        var buffer = ByteBuffer()
        RESPCommandEncoder.encode([Array("SET".utf8), Array("k".utf8), [0x00, 0x0D, 0x0A, 0x41]], into: &buffer)
        var expected = ByteBuffer(string: "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$4\r\n")
        expected.writeBytes([0x00, 0x0D, 0x0A, 0x41])
        expected.writeString("\r\n")
        #expect(buffer == expected)
    }

    @Test("an empty argument is encoded as a zero-length bulk string")
    func emptyArgument() {
        var buffer = ByteBuffer()
        RESPCommandEncoder.encode([Array("ECHO".utf8), []], into: &buffer)
        #expect(String(buffer: buffer) == "*2\r\n$4\r\nECHO\r\n$0\r\n\r\n")
    }
}

/// 10 MiB of varied bytes, built by copying a 64 KiB pattern: a per-byte loop
/// in a debug build would hold a test thread for over a second.
func tenMebibytes() -> [UInt8] {
    var pattern = [UInt8](repeating: 0, count: 65_536)
    for index in pattern.indices { pattern[index] = UInt8(truncatingIfNeeded: index &* 31 &+ index >> 8) }
    var value: [UInt8] = []
    value.reserveCapacity(160 * pattern.count)
    for _ in 0..<160 { value.append(contentsOf: pattern) }
    return value
}

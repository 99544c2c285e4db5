package import NIOCore

/// Decodes RESP replies with hiredis's reader. Bytes are handed to hiredis as
/// they arrive, so a reply split over many reads (or one byte at a time) decodes
/// the same as one that arrives whole.
struct RESPDecoder: ByteToMessageDecoder {
    typealias InboundOut = RedisReply

    private let reader: RESPReader

    /// - Parameter limits: what one reply may cost; exceeding them is a protocol error.
    init(limits: RESPLimits = .standard) {
        self.reader = RESPReader(limits: limits)
    }

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        if buffer.readableBytes > 0 {
            try buffer.withUnsafeReadableBytes { try reader.feed($0) }
            buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
        }
        // Emit every complete reply now: the buffer is already drained, so no
        // later decode call would come for replies hiredis still holds.
        while let reply = try reader.next() {
            context.fireChannelRead(Self.wrapInboundOut(reply))
        }
        return .needMoreData
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        _ = try decode(context: context, buffer: &buffer)
        return .needMoreData
    }
}

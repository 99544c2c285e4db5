internal import CHiredis

/// hiredis's RESP reader, confined to one event loop: bytes in, replies out.
///
/// Only the parser is used; hiredis never touches a socket here. Bytes pass a
/// ``RESPFrameScanner`` first: hiredis 0.14 believes any length a peer announces.
final class RESPReader {
    private let reader: UnsafeMutablePointer<redisReader>
    private var scanner: RESPFrameScanner

    init(limits: RESPLimits = .standard) {
        guard let reader = redisReaderCreate() else {
            fatalError("hiredis: out of memory creating a reader")
        }
        // hiredis's default `maxbuf` (16 KiB) stays: once a large reply is consumed, the
        // buffer it grew is freed rather than kept for the connection's lifetime.
        self.reader = reader
        self.scanner = RESPFrameScanner(limits: limits)
    }

    deinit {
        redisReaderFree(reader)
    }

    /// Hands bytes to the parser; they are copied. Throws, before hiredis sees them, when they
    /// would exceed ``RESPLimits``.
    func feed(_ bytes: UnsafeRawBufferPointer) throws(RedisClientError) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        try scanner.scan(bytes)
        if redisReaderFeed(reader, base.assumingMemoryBound(to: CChar.self), bytes.count) != REDIS_OK {
            throw .protocolError(lastError)
        }
    }

    /// The next complete reply, or `nil` when more bytes are needed.
    func next() throws(RedisClientError) -> RedisReply? {
        var raw: UnsafeMutableRawPointer?
        if redisReaderGetReply(reader, &raw) != REDIS_OK {
            throw .protocolError(lastError)
        }
        guard let raw else { return nil }
        // Copy everything out, then free only the root: it owns its children.
        defer { freeReplyObject(raw) }
        return Self.convert(raw.assumingMemoryBound(to: redisReply.self))
    }

    /// Whether the parser holds a partial reply.
    var hasPartialData: Bool {
        reader.pointee.len > reader.pointee.pos || reader.pointee.ridx >= 0
    }

    private var lastError: String {
        withUnsafeBytes(of: reader.pointee.errstr) { raw in
            let bytes = raw.prefix { $0 != 0 }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    private static func convert(_ reply: UnsafeMutablePointer<redisReply>) -> RedisReply {
        let value = reply.pointee
        switch value.type {
        case REDIS_REPLY_STRING:
            return .bulkString(bytes(value.str, value.len))
        case REDIS_REPLY_STATUS:
            return .simpleString(String(decoding: bytes(value.str, value.len), as: UTF8.self))
        case REDIS_REPLY_ERROR:
            return .error(String(decoding: bytes(value.str, value.len), as: UTF8.self))
        case REDIS_REPLY_INTEGER:
            return .integer(Int64(value.integer))
        case REDIS_REPLY_ARRAY:
            var elements: [RedisReply] = []
            elements.reserveCapacity(value.elements)
            for index in 0..<value.elements {
                if let child = value.element[index] {
                    elements.append(convert(child))
                } else {
                    elements.append(.null)
                }
            }
            return .array(elements)
        default:
            return .null
        }
    }

    private static func bytes(_ pointer: UnsafeMutablePointer<CChar>?, _ count: Int) -> [UInt8] {
        guard let pointer, count > 0 else { return [] }
        return Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }
}

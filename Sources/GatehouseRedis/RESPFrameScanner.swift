/// Follows the RESP framing of the bytes a peer sends — type bytes, length headers, bulk
/// payloads, nesting — without building anything, and rejects a reply that would exceed
/// ``RESPLimits`` before hiredis reads (and allocates for) it.
///
/// A state machine over bytes, so a header split across reads — down to one byte at a time — is
/// checked the same as one that arrives whole. Stricter than hiredis 0.14 about length headers
/// (digits and `-1` only): Redis never sends anything else, and a lenient parse here could fall
/// out of step with hiredis's.
struct RESPFrameScanner {
    private enum Kind {
        /// `+`, `-`, `:` (and RESP3 `_`, `,`, `#`, `(`): one line, no length.
        case line
        /// `$` (and RESP3 `=`, `!`): a length header, then that many bytes and CRLF.
        case bulk
        /// `*` (and RESP3 `~`, `>`; `%` with two elements per entry): a count header, then the elements.
        case aggregate(elementsPerEntry: Int)
    }

    private struct Line {
        var kind: Kind
        var length = 0
        var sawCR = false
        var negative = false
        var digits = 0
        var value = 0
    }

    private enum State {
        case typeByte
        case line(Line)
        case payload(remaining: Int)
        case terminator(sawCR: Bool)
    }

    private static let cr = UInt8(ascii: "\r")
    private static let lf = UInt8(ascii: "\n")

    let limits: RESPLimits
    private var state = State.typeByte
    /// Elements still to come in each open aggregate, outermost first.
    private var open: [Int] = []
    /// Bytes seen of the top-level reply not yet complete.
    private var pendingReplyBytes = 0
    private var failure: RedisClientError?

    init(limits: RESPLimits = .standard) {
        self.limits = limits
        self.open.reserveCapacity(limits.maxDepth)
    }

    /// Checks `bytes`, the next ones from the peer; throws once they break a limit or RESP's framing.
    mutating func scan(_ bytes: UnsafeRawBufferPointer) throws(RedisClientError) {
        if let failure { throw failure }
        do throws(RedisClientError) {
            try self.step(through: bytes)
        } catch {
            self.failure = error
            throw error
        }
    }

    private mutating func step(through bytes: UnsafeRawBufferPointer) throws(RedisClientError) {
        var index = 0
        while index < bytes.count {
            switch self.state {
            case .payload(let remaining):
                let taken = min(remaining, bytes.count - index)
                index += taken
                try self.count(taken)
                self.state = remaining == taken ? .terminator(sawCR: false) : .payload(remaining: remaining - taken)
                continue
            default:
                break
            }
            let byte = bytes[index]
            index += 1
            try self.count(1)
            switch self.state {
            case .typeByte:
                self.state = .line(Line(kind: try Self.kind(of: byte)))
            case .line(var line):
                if try self.advance(&line, with: byte) {
                    try self.finish(line)
                } else {
                    self.state = .line(line)
                }
            case .terminator(let sawCR):
                guard byte == (sawCR ? Self.lf : Self.cr) else { throw .protocolError("bulk string not followed by CRLF") }
                if sawCR {
                    self.state = .typeByte
                    self.completeValue()
                } else {
                    self.state = .terminator(sawCR: true)
                }
            case .payload:
                preconditionFailure("handled above")
            }
        }
    }

    private mutating func count(_ bytes: Int) throws(RedisClientError) {
        self.pendingReplyBytes += bytes
        guard self.pendingReplyBytes <= self.limits.maxPendingReplyBytes else {
            throw .protocolError("reply larger than \(self.limits.maxPendingReplyBytes) bytes")
        }
    }

    private static func kind(of typeByte: UInt8) throws(RedisClientError) -> Kind {
        switch typeByte {
        case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: ":"),
            UInt8(ascii: "_"), UInt8(ascii: ","), UInt8(ascii: "#"), UInt8(ascii: "("):
            return .line
        case UInt8(ascii: "$"), UInt8(ascii: "="), UInt8(ascii: "!"):
            return .bulk
        case UInt8(ascii: "*"), UInt8(ascii: "~"), UInt8(ascii: ">"):
            return .aggregate(elementsPerEntry: 1)
        case UInt8(ascii: "%"):
            return .aggregate(elementsPerEntry: 2)
        default:
            throw .protocolError("unexpected RESP type byte \(typeByte)")
        }
    }

    /// Takes one byte of a line; `true` when it ended the line.
    private func advance(_ line: inout Line, with byte: UInt8) throws(RedisClientError) -> Bool {
        line.length += 1
        guard line.length <= self.limits.maxLineBytes else { throw .protocolError("line longer than \(self.limits.maxLineBytes) bytes") }
        if case .line = line.kind {
            // Content is opaque; hiredis ends the line at the first CRLF, and so does this.
            if line.sawCR && byte == Self.lf { return true }
            line.sawCR = byte == Self.cr
            return false
        }
        if line.sawCR {
            guard byte == Self.lf else { throw .protocolError("length header not ended by CRLF") }
            return true
        }
        switch byte {
        case Self.cr:
            guard line.digits > 0 else { throw .protocolError("empty length header") }
            line.sawCR = true
        case UInt8(ascii: "-") where line.length == 1:
            line.negative = true
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            line.digits += 1
            line.value = line.value * 10 + Int(byte - UInt8(ascii: "0"))
            // Checked per digit, so the value never overflows and a huge header fails at once.
            try self.check(line)
        default:
            throw .protocolError("malformed length header")
        }
        return false
    }

    private func check(_ line: Line) throws(RedisClientError) {
        if line.negative {
            guard line.value <= 1 else { throw .protocolError("negative length") }
            return
        }
        switch line.kind {
        case .bulk where line.value > self.limits.maxBulkBytes:
            throw .protocolError("bulk string longer than \(self.limits.maxBulkBytes) bytes")
        case .aggregate where line.value > self.limits.maxAggregateCount:
            throw .protocolError("aggregate of more than \(self.limits.maxAggregateCount) elements")
        default:
            break
        }
    }

    /// A whole line has been read: move on to what it announces.
    private mutating func finish(_ line: Line) throws(RedisClientError) {
        self.state = .typeByte
        let isNull = line.negative
        if line.negative, line.value != 1 { throw .protocolError("negative length") }
        switch line.kind {
        case .line:
            self.completeValue()
        case .bulk:
            if isNull {
                self.completeValue()
            } else {
                self.state = line.value == 0 ? .terminator(sawCR: false) : .payload(remaining: line.value)
            }
        case .aggregate(let elementsPerEntry):
            let elements = isNull ? 0 : line.value * elementsPerEntry
            if elements == 0 {
                self.completeValue()
            } else {
                guard self.open.count < self.limits.maxDepth else { throw .protocolError("aggregates nested deeper than \(self.limits.maxDepth)") }
                self.open.append(elements)
            }
        }
    }

    /// One value is complete: it counts towards its aggregate, which may complete in turn.
    private mutating func completeValue() {
        while let last = self.open.last {
            if last > 1 {
                self.open[self.open.count - 1] = last - 1
                return
            }
            self.open.removeLast()
        }
        self.pendingReplyBytes = 0
    }
}

/// One span of an OTLP `ExportTraceServiceRequest`, read straight off the protobuf wire format
/// (opentelemetry/proto/trace/v1/trace.proto): only the fields the tests look at.
struct OTLPSpan: Sendable, CustomStringConvertible {
    var traceID = ""
    var spanID = ""
    var parentSpanID = ""
    var name = ""
    /// 1 internal, 2 server, 3 client.
    var kind = 0
    /// String, bool and integer attribute values, as text.
    var attributes: [String: String] = [:]
    /// 0 unset, 1 ok, 2 error.
    var statusCode = 0

    var description: String { "\(name) [\(traceID)/\(spanID) ← \(parentSpanID)] \(attributes)" }

    struct WireError: Error {}

    /// ExportTraceServiceRequest.resource_spans(1) → ResourceSpans.scope_spans(2) → ScopeSpans.spans(2).
    static func decode(request bytes: [UInt8]) throws -> [OTLPSpan] {
        var spans: [OTLPSpan] = []
        for (field, resourceSpans) in try fields(bytes[...]) where field == 1 {
            for (field, scopeSpans) in try fields(try resourceSpans.bytes()) where field == 2 {
                for (field, span) in try fields(try scopeSpans.bytes()) where field == 2 {
                    spans.append(try decode(span: try span.bytes()))
                }
            }
        }
        return spans
    }

    private static func decode(span bytes: ArraySlice<UInt8>) throws -> OTLPSpan {
        var span = OTLPSpan()
        for (field, value) in try fields(bytes) {
            switch field {
            case 1: span.traceID = hex(try value.bytes())
            case 2: span.spanID = hex(try value.bytes())
            case 4: span.parentSpanID = hex(try value.bytes())
            case 5: span.name = String(decoding: try value.bytes(), as: UTF8.self)
            case 6: span.kind = Int(try value.integer())
            case 9:
                var key = ""
                var text = ""
                for (field, part) in try fields(try value.bytes()) {
                    if field == 1 { key = String(decoding: try part.bytes(), as: UTF8.self) }
                    if field == 2 {
                        for (kind, any) in try fields(try part.bytes()) {
                            switch kind {
                            case 1: text = String(decoding: try any.bytes(), as: UTF8.self)
                            case 2: text = try any.integer() == 0 ? "false" : "true"
                            case 3: text = String(Int64(bitPattern: try any.integer()))
                            default: text = "?"
                            }
                        }
                    }
                }
                span.attributes[key] = text
            case 15:
                for (field, part) in try fields(try value.bytes()) where field == 3 { span.statusCode = Int(try part.integer()) }
            default: break
            }
        }
        return span
    }

    /// A field's value: a varint, fixed-width bits, or length-delimited bytes.
    enum Value {
        case integer(UInt64)
        case bytes(ArraySlice<UInt8>)

        func integer() throws -> UInt64 {
            guard case .integer(let value) = self else { throw WireError() }
            return value
        }

        func bytes() throws -> ArraySlice<UInt8> {
            guard case .bytes(let value) = self else { throw WireError() }
            return value
        }
    }

    /// The (field number, value) pairs of one message, in order.
    static func fields(_ bytes: ArraySlice<UInt8>) throws -> [(Int, Value)] {
        var out: [(Int, Value)] = []
        var index = bytes.startIndex
        func varint() throws -> UInt64 {
            var result: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                guard index < bytes.endIndex, shift < 64 else { throw WireError() }
                let byte = bytes[index]
                index += 1
                result |= UInt64(byte & 0x7F) << shift
                if byte & 0x80 == 0 { return result }
                shift += 7
            }
        }
        func take(_ count: Int) throws -> ArraySlice<UInt8> {
            guard count >= 0, bytes.endIndex - index >= count else { throw WireError() }
            defer { index += count }
            return bytes[index..<index + count]
        }
        while index < bytes.endIndex {
            let tag = try varint()
            let field = Int(tag >> 3)
            switch tag & 7 {
            case 0: out.append((field, .integer(try varint())))
            case 1: out.append((field, .integer(try take(8).reversed().reduce(0) { $0 << 8 | UInt64($1) })))
            case 2: out.append((field, .bytes(try take(Int(try varint())))))
            case 5: out.append((field, .integer(try take(4).reversed().reduce(0) { $0 << 8 | UInt64($1) })))
            default: throw WireError()
            }
        }
        return out
    }

    private static func hex(_ bytes: ArraySlice<UInt8>) -> String {
        bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }
}

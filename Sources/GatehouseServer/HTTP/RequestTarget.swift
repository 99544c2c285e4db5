/// The one check of a request target before anything routes it.
///
/// Routing matches the raw path, and the raw path is what an upstream receives; an upstream that
/// normalises (nginx, Spring, Go's `http.ServeMux`) would resolve `/api/../admin` or
/// `/api/%2e%2e/admin` outside the route that attached the bearer. So a target is refused unless
/// its path means the same before and after any such normalisation: origin-form, no dot segment
/// (also percent-encoded, also before a `;` path parameter as Tomcat reads it), no encoded slash or
/// backslash, no raw backslash, no NUL or other control byte, and well-formed percent escapes.
/// Pure, so the fuzzer and the unit tests call it without a server.
enum RequestTarget {
    /// Why a target was refused; the HTTP answer is 400 for every case.
    enum Problem: Equatable, Sendable {
        case notOriginForm
        case dotSegment
        case encodedSeparator
        case backslash
        case controlCharacter
        case malformedEscape

        /// For the 400 body and the log line; it never repeats the target itself.
        var message: String {
            switch self {
            case .notOriginForm: "The request target must be a path starting with /."
            case .dotSegment: "The path may not contain . or .. segments."
            case .encodedSeparator: "The path may not contain an encoded slash or backslash."
            case .backslash: "The path may not contain a backslash."
            case .controlCharacter: "The path may not contain control characters."
            case .malformedEscape: "The path has a malformed percent escape."
            }
        }
    }

    /// `nil` when `target` (path and optional query, as sent on the request line) is canonical.
    static func problem(in target: String) -> Problem? {
        var utf8 = target.utf8[...]
        guard utf8.first == UInt8(ascii: "/") else { return .notOriginForm }
        if let query = utf8.firstIndex(of: UInt8(ascii: "?")) {
            // The query is the upstream's business, but a NUL or newline has no place in any target.
            if utf8[query...].contains(where: { $0 < 0x20 || $0 == 0x7F }) { return .controlCharacter }
            utf8 = utf8[..<query]
        }
        var segment = SegmentScanner()
        var index = utf8.startIndex
        while index < utf8.endIndex {
            let byte = utf8[index]
            switch byte {
            case UInt8(ascii: "/"):
                if segment.isDotSegment { return .dotSegment }
                segment = SegmentScanner()
            case UInt8(ascii: "\\"):
                return .backslash
            case 0..<0x20, 0x7F:
                return .controlCharacter
            case UInt8(ascii: "%"):
                let first = utf8.index(after: index)
                guard first < utf8.endIndex, utf8.index(after: first) < utf8.endIndex,
                    let high = hexValue(utf8[first]), let low = hexValue(utf8[utf8.index(after: first)])
                else { return .malformedEscape }
                let decoded = high << 4 | low
                switch decoded {
                case UInt8(ascii: "/"), UInt8(ascii: "\\"): return .encodedSeparator
                case 0..<0x20, 0x7F: return .controlCharacter
                default: segment.add(decoded)
                }
                index = utf8.index(after: utf8.index(after: first))
                continue
            default:
                segment.add(byte)
            }
            index = utf8.index(after: index)
        }
        return segment.isDotSegment ? .dotSegment : nil
    }

    /// One hex digit's value; shared with the static files' path decoder.
    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// Whether one path segment, decoded and read up to a `;` parameter, is `.` or `..`.
    private struct SegmentScanner {
        private var dots = 0
        private var other = false
        private var inParameter = false

        mutating func add(_ byte: UInt8) {
            guard !inParameter else { return }
            switch byte {
            case UInt8(ascii: "."): dots += 1
            case UInt8(ascii: ";"): inParameter = true
            default: other = true
            }
        }

        var isDotSegment: Bool { !other && (dots == 1 || dots == 2) }
    }
}

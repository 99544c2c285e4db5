/// Finding one cookie in the request's `Cookie` headers.
///
/// A sibling subdomain (or, over plain http, any page of the same host) can set a second cookie
/// of the same name; browsers then send both, in an order the attacker can influence. So a name
/// that occurs more than once is ambiguous, and the caller treats it as absent — never as
/// "whichever came first" (cookie tossing). Pure, for the fuzzer and the unit tests.
enum CookieHeader {
    enum Lookup: Equatable, Sendable {
        case absent
        case value(String)
        case ambiguous

        /// The value when there is exactly one.
        var single: String? {
            if case .value(let value) = self { return value }
            return nil
        }
    }

    /// Looks `name` up in every `Cookie` header value, without building a dictionary of all
    /// cookies (every proxied request needs only the session cookie).
    static func lookup(_ name: String, in headers: some Sequence<String>) -> Lookup {
        var found: Lookup = .absent
        var name = name
        for header in headers {
            var header = header
            let ambiguous = name.withUTF8 { wanted in
                header.withUTF8 { bytes in
                    forEachPair(in: bytes) { pair, nameEnd in
                        guard nameEnd < pair.upperBound, nameEnd - pair.lowerBound == wanted.count,
                            UnsafeBufferPointer(rebasing: bytes[pair.lowerBound..<nameEnd]).elementsEqual(wanted)
                        else { return true }
                        guard case .absent = found else {
                            found = .ambiguous
                            return false
                        }
                        found = .value(String(decoding: UnsafeBufferPointer(rebasing: bytes[(nameEnd + 1)..<pair.upperBound]), as: UTF8.self))
                        return true
                    }
                }
            }
            if !ambiguous { return .ambiguous }
        }
        return found
    }

    /// Calls `body` with each `name=value` pair of one `Cookie` header value (the byte range,
    /// trimmed of spaces and tabs, and where its name ends: at the `=`, or the pair's end when
    /// there is none), in order, until `body` returns false; returns false when it did.
    /// Byte-wise over the string's UTF-8: the separators are ASCII, and this runs on every
    /// proxied request (splitting into slices cost more than the rest of its header handling).
    static func forEachPair(in bytes: UnsafeBufferPointer<UInt8>, _ body: (_ pair: Range<Int>, _ nameEnd: Int) -> Bool) -> Bool {
        func isBlank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        var start = 0
        while start < bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != UInt8(ascii: ";") { end += 1 }
            var (first, last) = (start, end)
            while first < last && isBlank(bytes[first]) { first += 1 }
            while first < last && isBlank(bytes[last - 1]) { last -= 1 }
            if first < last {
                var nameEnd = first
                while nameEnd < last && bytes[nameEnd] != UInt8(ascii: "=") { nameEnd += 1 }
                guard body(first..<last, nameEnd) else { return false }
            }
            start = end + 1
        }
        return true
    }
}

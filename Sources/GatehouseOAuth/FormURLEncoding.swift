/// Strict `application/x-www-form-urlencoded` serialization, as RFC 6749 Appendix B requires.
///
/// Only unreserved characters (`A-Z a-z 0-9 - . _ ~`) stay literal; a space becomes `+`; every
/// other UTF-8 byte becomes `%XX`. Encoding more than strictly needed is always safe to decode.
package enum FormURLEncoding {
    /// Encodes name/value pairs in order, joined with `&`.
    package static func encode(_ pairs: [(String, String)]) -> String {
        pairs.map { "\(encode(component: $0.0))=\(encode(component: $0.1))" }.joined(separator: "&")
    }

    /// Encodes one name or value.
    package static func encode(component: String) -> String {
        var out = [UInt8]()
        out.reserveCapacity(component.utf8.count)
        for byte in component.utf8 {
            if isUnreserved(byte) {
                out.append(byte)
            } else if byte == UInt8(ascii: " ") {
                out.append(UInt8(ascii: "+"))
            } else {
                out.append(UInt8(ascii: "%"))
                out.append(hexDigit(byte >> 4))
                out.append(hexDigit(byte & 0x0F))
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes one form-encoded component (`+` is a space); `nil` for a malformed escape or invalid UTF-8.
    package static func decode(component: some StringProtocol) -> String? {
        var out = [UInt8]()
        var bytes = component.utf8.makeIterator()
        while let byte = bytes.next() {
            switch byte {
            case UInt8(ascii: "+"):
                out.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard let high = bytes.next().flatMap(hexValue), let low = bytes.next().flatMap(hexValue) else {
                    return nil
                }
                out.append(high << 4 | low)
            default:
                out.append(byte)
            }
        }
        return String(validating: out, as: UTF8.self)
    }

    /// Decodes a whole form body into pairs, keeping order; `nil` when any component is malformed.
    package static func decode(_ body: some StringProtocol) -> [(String, String)]? {
        var pairs = [(String, String)]()
        for field in body.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = field.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(component: parts[0]),
                let value = decode(component: parts.count > 1 ? parts[1] : "")
            else { return nil }
            pairs.append((name, value))
        }
        return pairs
    }

    /// Whether `byte` is an RFC 3986 unreserved character.
    package static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
            UInt8(ascii: "_"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "A") + nibble - 10
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

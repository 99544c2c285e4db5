extension Character {
    /// `0`...`9` only; `isNumber` would also accept other scripts' digits and fractions.
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }

    /// A `tchar` of RFC 9110 §5.6.2, the characters of header names and cookie names.
    var isHTTPTokenCharacter: Bool {
        guard isASCII, let ascii = asciiValue else { return false }
        switch ascii {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "!#$%&'*+-.^_`|~".contains(self)
        }
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs (HTTP's optional whitespace), without going
    /// through Foundation's `trimmingCharacters(in:)`, which bridges to NSString on Linux.
    var trimmingBlanks: SubSequence {
        var first = startIndex
        var last = endIndex
        while first < last, self[first] == " " || self[first] == "\t" { first = index(after: first) }
        while first < last {
            let before = index(before: last)
            guard self[before] == " " || self[before] == "\t" else { break }
            last = before
        }
        return self[first..<last]
    }
}

extension String {
    /// Equal to `lowercase` (which must be lower-case ASCII) ignoring ASCII case, without
    /// allocating the lowered copy `lowercased()` makes.
    func equalsIgnoringASCIICase(_ lowercase: StaticString) -> Bool {
        guard utf8.count == lowercase.utf8CodeUnitCount else { return false }
        return lowercase.withUTF8Buffer { expected in
            zip(utf8, expected).allSatisfy { byte, want in
                (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte) == want
            }
        }
    }
}

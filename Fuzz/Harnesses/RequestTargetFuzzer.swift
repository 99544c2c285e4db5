// libFuzzer harness for `RequestTarget.problem(in:)` (Sources/GatehouseServer/HTTP/RequestTarget.swift),
// compiled together with that file by Deploy/scripts/fuzz.sh.
//
// Invariants: a target that is accepted (`nil`) starts with `/`; its path (before the first `?`)
// holds no `/../`-style dot segment (also percent-encoded, also before a `;` parameter), no
// `%2f`/`%5c`, no raw backslash, no NUL or other control byte, only well-formed escapes; the whole
// target holds no control byte. An independent, slower reference check must agree on accept/refuse.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRequestTarget(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = size == 0 ? [] : Array(UnsafeBufferPointer(start: data!, count: size))
    let target = String(decoding: bytes, as: UTF8.self)
    let problem = RequestTarget.problem(in: target)
    let reference = ReferenceCheck.accepts(target)
    if (problem == nil) != reference {
        fatalError("RequestTarget disagrees with the reference check (problem: \(String(describing: problem)), reference accepts: \(reference)) for \(Array(target.utf8))")
    }
    if problem == nil {
        let lowered = target.lowercased()
        let path = lowered.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0]
        precondition(target.utf8.first == UInt8(ascii: "/"), "accepted a target not starting with /")
        for forbidden in ["/../", "/./", "%2f", "%5c", "\\", "\u{0}", "%00", "/%2e%2e/", "/.%2e/", "/%2e./"] {
            precondition(!path.contains(forbidden), "accepted a path containing \(forbidden.debugDescription): \(Array(target.utf8))")
        }
        precondition(!path.hasSuffix("/..") && !path.hasSuffix("/."), "accepted a path ending in a dot segment")
        precondition(!target.utf8.contains { $0 < 0x20 || $0 == 0x7F }, "accepted a target with a control byte")
    }
    return 0
}

/// Written separately from the product code, decoding first and checking after, so the two can be compared.
private enum ReferenceCheck {
    static func accepts(_ target: String) -> Bool {
        let bytes = Array(target.utf8)
        guard bytes.first == UInt8(ascii: "/") else { return false }
        let pathEnd = bytes.firstIndex(of: UInt8(ascii: "?")) ?? bytes.endIndex
        if bytes[pathEnd...].contains(where: isControl) { return false }
        // Decode the path once; refuse what would change meaning on decoding.
        var decoded: [UInt8] = []
        var i = 0
        let path = Array(bytes[..<pathEnd])
        while i < path.count {
            let byte = path[i]
            if byte == UInt8(ascii: "%") {
                guard i + 2 < path.count, let high = hex(path[i + 1]), let low = hex(path[i + 2])
                else { return false }
                let value = high * 16 + low
                if value == UInt8(ascii: "/") || value == UInt8(ascii: "\\") { return false }
                // A decoded slash is refused above, so a decoded byte never splits a segment below.
                decoded.append(value)
                i += 3
            } else {
                if byte == UInt8(ascii: "\\") { return false }
                decoded.append(byte)
                i += 1
            }
        }
        if decoded.contains(where: isControl) { return false }
        for segment in decoded.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false) {
            let beforeParameter = segment.prefix { $0 != UInt8(ascii: ";") }
            if beforeParameter.elementsEqual([UInt8(ascii: ".")]) || beforeParameter.elementsEqual([UInt8(ascii: "."), UInt8(ascii: ".")]) {
                return false
            }
        }
        return true
    }

    private static func isControl(_ byte: UInt8) -> Bool { byte < 0x20 || byte == 0x7F }

    private static func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }
}

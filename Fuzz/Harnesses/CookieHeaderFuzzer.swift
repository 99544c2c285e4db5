// libFuzzer harness for `CookieHeader.lookup(_:in:)` (Sources/GatehouseServer/HTTP/CookieHeader.swift).
//
// Input: the cookie name, a newline, then one `Cookie` header value per line (without a
// newline, the whole input is one header and the name is Gatehouse's session cookie's).
// Invariants: `.value` means the name occurred exactly once as a cookie name, `.absent` not at
// all, `.ambiguous` more than once (cookie tossing); a value has no `;` and no edge blanks.

private let sessionCookie = "__Host-Http-gatehouse"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCookieHeader(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = size == 0 ? [] : Array(UnsafeBufferPointer(start: data!, count: size))
    let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
    let name = lines.count > 1 ? lines[0] : sessionCookie
    let headers = lines.count > 1 ? Array(lines.dropFirst()) : lines
    let result = CookieHeader.lookup(name, in: headers)

    let occurrences = countOccurrences(of: name, in: headers)
    switch result {
    case .absent:
        precondition(occurrences == 0, "absent, but \(name.debugDescription) occurs \(occurrences) times in \(headers)")
    case .value(let value):
        precondition(occurrences == 1, ".value, but \(name.debugDescription) occurs \(occurrences) times in \(headers)")
        precondition(!value.utf8.contains(UInt8(ascii: ";")), "a value holds ;")
        precondition(value.utf8.last != UInt8(ascii: " ") && value.utf8.last != UInt8(ascii: "\t"), "a value ends in a blank")
        precondition(result.single == value)
    case .ambiguous:
        precondition(occurrences >= 2, "ambiguous, but \(name.debugDescription) occurs \(occurrences) times in \(headers)")
    }
    return 0
}

/// How many `;`-separated pairs name `name`, counted independently of the product code.
private func countOccurrences(of name: String, in headers: [String]) -> Int {
    var count = 0
    for header in headers {
        for pair in Array(header.utf8).split(separator: UInt8(ascii: ";")) {
            let trimmed = pair.drop { $0 == 0x20 || $0 == 0x09 }
            guard let equals = trimmed.firstIndex(of: UInt8(ascii: "=")) else { continue }
            if Array(trimmed[..<equals]) == Array(name.utf8) { count += 1 }
        }
    }
    return count
}

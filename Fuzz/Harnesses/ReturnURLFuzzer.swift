// libFuzzer harness for `ReturnURL(sanitizing:)` (Sources/GatehouseOAuth/ReturnURL.swift).
//
// Invariants: the result is the candidate itself or `/`; an accepted path is at most 512 bytes, starts with exactly one
// `/`, holds no backslash, no control, blank or line-separator character, and neither it nor its
// percent-decodings (as many times as the check decodes, 3) start with `//` or `/\` or hold a
// backslash or control character: nothing a browser could read as another origin or a header break.

import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzReturnURL(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = size == 0 ? [] : Array(UnsafeBufferPointer(start: data!, count: size))
    let candidate = String(decoding: bytes, as: UTF8.self)
    let url = ReturnURL(sanitizing: candidate)
    precondition(url.path == candidate || url.path == "/", "ReturnURL invented a path")
    precondition(url.description == url.path)
    guard url.path != "/" else { return 0 }
    precondition(candidate.utf8.count <= 512, "accepted a returnUrl of \(candidate.utf8.count) bytes (PRODUCT.md: at most 512)")
    precondition(!candidate.unicodeScalars.contains { $0.properties.isWhitespace }, "accepted a blank in \(bytes)")
    var text = candidate
    for level in 0...3 {
        let utf8 = Array(text.utf8)
        precondition(utf8.first == UInt8(ascii: "/"), "level \(level) does not start with /: \(bytes)")
        precondition(utf8.count < 2 || (utf8[1] != UInt8(ascii: "/") && utf8[1] != UInt8(ascii: "\\")), "level \(level) starts with // or /\\: \(bytes)")
        precondition(!utf8.contains { $0 == UInt8(ascii: "\\") || $0 < 0x20 || $0 == 0x7F }, "level \(level) holds \\ or a control byte: \(bytes)")
        precondition(!text.unicodeScalars.contains { [.control, .lineSeparator, .paragraphSeparator, .format].contains($0.properties.generalCategory) }, "level \(level) holds a control or separator: \(bytes)")
        guard level < 3, let next = text.removingPercentEncoding, next != text else { break }
        text = next
    }
    return 0
}

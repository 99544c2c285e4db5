// libFuzzer harness for `FormBody.value(_:in:)` (Sources/GatehouseServer/HTTP/FormBody.swift).
//
// Input: the parameter name, a newline, then the form body (without a newline, the whole input is
// the body and the name is `logout_token`, the one Gatehouse reads). Invariants: a value is
// returned only when the name occurs exactly once as a key; a repeated key gives `nil`.

import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFormBody(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = size == 0 ? [] : Array(UnsafeBufferPointer(start: data!, count: size))
    let name: String
    let form: String
    if let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) {
        name = String(decoding: bytes[..<newline], as: UTF8.self)
        form = String(decoding: bytes[(newline + 1)...], as: UTF8.self)
    } else {
        name = "logout_token"
        form = String(decoding: bytes, as: UTF8.self)
    }
    let value = FormBody.value(name, in: form)

    let keys = form.split(separator: "&").compactMap { pair -> Substring? in
        guard let equals = pair.firstIndex(of: "=") else { return nil }
        return pair[..<equals]
    }
    let occurrences = keys.filter { $0 == name }.count
    if let value {
        precondition(occurrences == 1, "a value for \(name.debugDescription), which occurs \(occurrences) times")
        _ = value.utf8.count
    }
    if occurrences != 1 { precondition(value == nil, "a value although \(name.debugDescription) occurs \(occurrences) times") }
    return 0
}

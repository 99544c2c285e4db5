// libFuzzer harness for `RESPReader` (Sources/GatehouseRedis/RESPReader.swift): the bytes a
// Redis peer (or whatever answers on its port) sends, through the frame scanner and limits,
// hiredis's reader and the conversion to `RedisReply`. Compiled with RESPReader.swift, the
// NIO-free RESP*.swift beside it, RedisReply.swift and RedisClientError.swift (the list is in
// Deploy/scripts/fuzz.sh), and linked with the system libhiredis through the CHiredis module map.
//
// Only `init()`, `feed(_:)` and `next()` are used, and any error they throw is an accepted outcome
// (a protocol error or a length limit closes the connection), so new checks in the reader keep
// this harness valid. Invariant: when neither run throws, the replies decoded from the input fed
// whole equal those decoded from it fed in small pieces (as the NIO decoder feeds it), and a
// reader that is dropped frees everything (LeakSanitizer).

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRESPReader(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard size > 0, let data else { return 0 }
    // The first byte picks the chunk size of the second run: 1 to 16 bytes.
    let chunk = Int(data[0] & 0x0F) + 1
    let input = UnsafeRawBufferPointer(start: data + 1, count: size - 1)
    let whole = decode(input, chunk: max(input.count, 1))
    let pieces = decode(input, chunk: chunk)
    if let whole, let pieces {
        precondition(whole == pieces, "fed whole: \(whole); fed \(chunk) bytes at a time: \(pieces)")
    }
    return 0
}

/// Every reply, or `nil` when the reader threw.
private func decode(_ input: UnsafeRawBufferPointer, chunk: Int) -> [RedisReply]? {
    let reader = RESPReader()
    var replies: [RedisReply] = []
    var offset = 0
    do {
        repeat {
            let end = min(offset + chunk, input.count)
            try reader.feed(UnsafeRawBufferPointer(rebasing: input[offset..<end]))
            offset = end
            while let reply = try reader.next() {
                replies.append(reply)
            }
        } while offset < input.count
        _ = reader.hasPartialData
    } catch {
        _ = String(describing: error)
        return nil
    }
    return replies
}

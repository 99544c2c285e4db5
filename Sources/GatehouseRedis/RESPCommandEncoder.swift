internal import CHiredis
package import NIOCore

/// Encodes a command's arguments as RESP with hiredis's binary-safe formatter.
enum RESPCommandEncoder {
    /// Appends the RESP encoding of `arguments` to `buffer`.
    static func encode(_ arguments: [[UInt8]], into buffer: inout ByteBuffer) {
        precondition(!arguments.isEmpty, "a Redis command needs a name")
        // One contiguous copy of all arguments gives stable pointers for argv.
        var joined: [UInt8] = []
        joined.reserveCapacity(arguments.reduce(0) { $0 + $1.count })
        var lengths: [Int] = []
        lengths.reserveCapacity(arguments.count)
        for argument in arguments {
            joined.append(contentsOf: argument)
            lengths.append(argument.count)
        }
        joined.withUnsafeBufferPointer { storage in
            let base = UnsafeRawPointer(storage.baseAddress) ?? UnsafeRawPointer(bitPattern: 1)!
            var pointers: [UnsafePointer<CChar>?] = []
            pointers.reserveCapacity(arguments.count)
            var offset = 0
            for length in lengths {
                pointers.append((base + offset).assumingMemoryBound(to: CChar.self))
                offset += length
            }
            var target: UnsafeMutablePointer<CChar>?
            let count = lengths.withUnsafeBufferPointer { lengthPointer in
                pointers.withUnsafeMutableBufferPointer { argv in
                    redisFormatCommandArgv(&target, Int32(arguments.count), argv.baseAddress, lengthPointer.baseAddress)
                }
            }
            guard count >= 0, let target else {
                fatalError("hiredis: out of memory formatting a command")
            }
            defer { redisFreeCommand(target) }
            buffer.writeBytes(UnsafeRawBufferPointer(start: target, count: Int(count)))
        }
    }
}

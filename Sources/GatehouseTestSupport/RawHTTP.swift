import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Sends bytes no well-behaved HTTP client would send (for smuggling tests)
/// and returns what came back before the server closed or `timeout` passed.
package enum RawHTTP {
    /// Runs on a thread of its own: the socket calls block, and blocking one of
    /// the few cooperative threads would stall the in-process server under test.
    package static func exchange(port: Int, request: String, timeout: Duration = .seconds(3)) async -> String {
        await withCheckedContinuation { continuation in
            let thread = Thread {
                continuation.resume(returning: blockingExchange(port: port, request: request, timeout: timeout))
            }
            thread.start()
        }
    }

    /// A blocking TCP connection to 127.0.0.1:`port`, or `nil`; the caller closes it.
    package static func connectLoopback(port: Int) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(fd)
            return nil
        }
        return fd
    }

    private static func blockingExchange(port: Int, request: String, timeout: Duration) -> String {
        guard let fd = connectLoopback(port: port) else { return "" }
        defer { close(fd) }
        var seconds = timeval(tv_sec: Int(timeout.components.seconds), tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &seconds, socklen_t(MemoryLayout<timeval>.size))
        let bytes = Array(request.utf8)
        _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while received.count < 1 << 20 {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            received += buffer[0..<count]
        }
        return String(decoding: received, as: UTF8.self)
    }
}

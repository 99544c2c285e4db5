import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A loopback port whose accept queue is full and never drained, so a new TCP
/// connect gets no answer: the way to test connect timeouts without leaving
/// the machine.
package final class UnresponsiveListener: @unchecked Sendable {
    package let port: Int
    private let listener: Int32
    private var fillers: [Int32] = []

    package init() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.listener = listener
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) } }
        port = Int(UInt16(bigEndian: address.sin_port))
        guard listen(listener, 0) == 0 else { throw RedisServer.LaunchError(description: "listen() failed") }
        // Fill the accept queue (backlog 0 still admits one) with connections
        // nobody accepts; after that the kernel drops new SYNs.
        for _ in 0..<4 {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
            var target = address
            _ = withUnsafePointer(to: &target) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            fillers.append(fd)
        }
        usleep(50_000)
    }

    package func close() {
        for fd in fillers { Glibc.close(fd) }
        Glibc.close(listener)
    }
}

import Foundation
import GatehouseTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Many raw client connections that each send a partial request and then wait, as a slowloris
/// attacker does; it watches which the server closes. Plain blocking sockets on a thread of their
/// own (never on the cooperative pool the in-process server shares), with bounded loops.
final class HeldConnections: @unchecked Sendable {
    private var descriptors: [Int32] = []
    private var closedAt: [Int32: ContinuousClock.Instant] = [:]

    /// Opens `count` connections to 127.0.0.1:`port` and sends `prefix` on each.
    static func open(count: Int, port: Int, sending prefix: String) async throws -> HeldConnections {
        try await onThread {
            let held = HeldConnections()
            for _ in 0..<count {
                let fd = try connectLoopback(port: port)
                let bytes = Array(prefix.utf8)
                _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                held.descriptors.append(fd)
            }
            return held
        }
    }

    /// Waits up to `timeout` for the server to close every connection; returns how many it closed.
    func waitForServerClose(timeout: Duration) async -> Int {
        await Self.onThreadNonThrowing {
            let deadline = ContinuousClock.now + timeout
            while self.closedAt.count < self.descriptors.count, ContinuousClock.now < deadline {
                var fds = self.descriptors.filter { self.closedAt[$0] == nil }.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
                let ready = poll(&fds, nfds_t(fds.count), 50)
                guard ready > 0 else { continue }
                var scratch = [UInt8](repeating: 0, count: 4096)
                for entry in fds where entry.revents != 0 {
                    let read = scratch.withUnsafeMutableBytes { recv(entry.fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
                    if read == 0 || (read < 0 && errno != EAGAIN) { self.closedAt[entry.fd] = .now }
                }
            }
            return self.closedAt.count
        }
    }

    /// Sends more bytes on every connection still open.
    func sendAll(_ text: String) async {
        await Self.onThreadNonThrowing {
            let bytes = Array(text.utf8)
            for fd in self.descriptors where self.closedAt[fd] == nil {
                _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            }
        }
    }

    func closeAll() {
        for fd in descriptors { close(fd) }
        descriptors = []
    }

    deinit { closeAll() }

    static func connectLoopback(port: Int) throws -> Int32 {
        guard let fd = RawHTTP.connectLoopback(port: port) else { throw HarnessError("connect to 127.0.0.1:\(port) failed") }
        return fd
    }

    private static func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }

    private static func onThreadNonThrowing<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: body()) }.start()
        }
    }
}

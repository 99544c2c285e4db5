import AsyncAlgorithms
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
#if canImport(Glibc)
import Glibc
#endif

/// Re-reads the listener's TLS files when they change (PRODUCT.md `tls`), so a certificate renewed
/// by cert-manager, a kubelet secret update or certbot is served without a signal.
///
/// inotify watches the directories that name the files (kubelet renames a `..data` symlink there,
/// certbot replaces symlinks); its descriptor is read through a NIO pipe channel, so no thread
/// waits on it. Events are coalesced for 300 ms, then ``ListenerTLS/reloadIfChanged()`` decides.
struct TLSFileWatcher: Service {
    let tls: ListenerTLS
    let logger: Logger

    private static let mask = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE)

    func run() async throws {
        let descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard descriptor >= 0 else {
            logger.warning("TLS files are not watched; send SIGHUP after renewing them", metadata: [
                "gatehouse.event": EventName.tlsReloadFailed, "gatehouse.problem": "inotify_init1 failed (errno \(errno))",
            ])
            try await gracefulShutdown()
            return
        }
        var watched: Set<String> = []
        watch(tls.settings.directories, descriptor: descriptor, into: &watched)
        do {
            // inotify refuses a read shorter than one event (up to NAME_MAX + 17 bytes): a fixed
            // buffer, not NIO's adaptive one, which shrinks to 64 bytes.
            let channel = try await NIOPipeBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 8192))
                .takingOwnershipOfDescriptor(input: descriptor) { channel in
                    channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, Never>(wrappingChannelSynchronously: channel) }
                }
            try await channel.executeThenClose { inbound in
                let changes = merge(inbound.map { _ in () }, tls.moved)
                for try await _ in changes.debounce(for: .milliseconds(300)).cancelOnGracefulShutdown() {
                    watch(tls.settings.directories, descriptor: descriptor, into: &watched)
                    report(tls.reloadIfChanged())
                }
            }
        } catch {
            // Watching is a convenience: losing it must not stop the listener.
            logger.warning("TLS files are no longer watched; send SIGHUP after renewing them", metadata: [
                "gatehouse.event": EventName.tlsReloadFailed, "gatehouse.problem": "\(String(describing: type(of: error)))",
            ])
            try? await gracefulShutdown()
        }
    }

    private func watch(_ directories: Set<String>, descriptor: CInt, into watched: inout Set<String>) {
        for directory in directories.subtracting(watched) {
            if inotify_add_watch(descriptor, directory, Self.mask) >= 0 {
                watched.insert(directory)
            } else {
                logger.warning("TLS files are not watched; send SIGHUP after renewing them", metadata: [
                    "gatehouse.event": EventName.tlsReloadFailed, "gatehouse.problem": "cannot watch \(directory) (errno \(errno))",
                ])
            }
        }
    }

    private func report(_ outcome: ListenerTLS.FileReload) {
        switch outcome {
        case .unchanged:
            break
        case .replaced(let notValidAfter):
            logger.info("TLS files changed; new connections get the new certificate", metadata: [
                "gatehouse.event": EventName.tlsReloaded, "gatehouse.not_valid_after": "\(notValidAfter)",
            ])
        case .failed(let error):
            logger.warning("TLS files changed but do not load; the certificate in force stays", metadata: [
                "gatehouse.event": EventName.tlsReloadFailed, "gatehouse.key": "tls.\(error.key)", "gatehouse.problem": "\(error.message)",
            ])
        }
    }
}

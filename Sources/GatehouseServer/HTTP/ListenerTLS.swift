package import NIOSSL
import Synchronization

/// The public listener's TLS context. Each new connection takes the current one, so a reload
/// that swaps it serves the renewed certificate from the next connection on while open
/// connections keep theirs.
package final class ListenerTLS: Sendable {
    private let context: Mutex<NIOSSLContext>

    package init(_ settings: ListenerTLSSettings) throws(ListenerTLSSettings.LoadError) {
        context = Mutex(try settings.makeContext())
    }

    package var current: NIOSSLContext { context.withLock { $0 } }

    package func replace(with new: NIOSSLContext) {
        context.withLock { $0 = new }
    }
}

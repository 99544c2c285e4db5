import Crypto
import Foundation
package import NIOSSL
import Synchronization

/// The public listener's TLS context. Each new connection takes the current one, so a reload
/// that swaps it serves the renewed certificate from the next connection on while open
/// connections keep theirs.
package final class ListenerTLS: Sendable {
    private struct State {
        var settings: ListenerTLSSettings
        var context: NIOSSLContext
        /// A digest of the two files as last loaded: a change event that left them as they were
        /// (an unrelated file in the same directory) changes nothing. No second copy of the key.
        var loaded: SHA256Digest?
    }

    private let state: Mutex<State>
    /// Says when a reload moved the files, so ``TLSFileWatcher`` watches their new directories.
    let moved: AsyncStream<Void>
    private let movedContinuation: AsyncStream<Void>.Continuation

    package init(_ settings: ListenerTLSSettings) throws(ListenerTLSSettings.LoadError) {
        let loaded = Self.digest(settings)
        state = Mutex(State(settings: settings, context: try settings.makeContext(), loaded: loaded))
        (moved, movedContinuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    package var current: NIOSSLContext { state.withLock { $0.context } }

    var settings: ListenerTLSSettings { state.withLock { $0.settings } }

    /// A reload's new context (read by the reloader from `settings` a moment ago).
    package func replace(with context: NIOSSLContext, settings: ListenerTLSSettings) {
        let loaded = Self.digest(settings)
        let moved = state.withLock { state in
            defer { state = State(settings: settings, context: context, loaded: loaded) }
            return state.settings.directories != settings.directories
        }
        if moved { movedContinuation.yield() }
    }

    /// What re-reading the files after a change event did.
    enum FileReload {
        case unchanged
        case replaced(notValidAfter: Date)
        case failed(ListenerTLSSettings.LoadError)
    }

    /// Re-reads the files in force; takes them when they differ from those loaded and load as a
    /// pair. A half-written renewal fails here and is taken on the event that completes it.
    func reloadIfChanged() -> FileReload {
        let (settings, before) = state.withLock { ($0.settings, $0.loaded) }
        let now = Self.digest(settings)
        guard now != before || now == nil else { return .unchanged }
        do {
            let context = try settings.makeContext()
            let expiry = try settings.expiry()
            let swapped = state.withLock { state in
                guard state.settings == settings else { return false }  // a reload came in between: it wins
                state.context = context
                state.loaded = now
                return true
            }
            return swapped ? .replaced(notValidAfter: expiry) : .unchanged
        } catch {
            return .failed(error)
        }
    }

    private static func digest(_ settings: ListenerTLSSettings) -> SHA256Digest? {
        guard let certificate = FileManager.default.contents(atPath: settings.certificateFile),
              let key = FileManager.default.contents(atPath: settings.keyFile) else { return nil }
        var hash = SHA256()
        hash.update(data: certificate)
        hash.update(data: key)
        return hash.finalize()
    }
}

extension ListenerTLSSettings {
    /// The directories that name the files (kubelet and certbot swap symlinks there) and, where
    /// the paths are symlinks, the directories of the files they lead to (written in place).
    var directories: Set<String> {
        Set([certificateFile, keyFile].flatMap { path in
            let url = URL(fileURLWithPath: path)
            return [url.deletingLastPathComponent().path, url.resolvingSymlinksInPath().deletingLastPathComponent().path]
        })
    }
}

import Synchronization

/// Fans the store's "this session ended" announcements out to everything in this process that
/// holds on to a session — the session cache and open streams. Redis announces ends on every
/// replica over pub/sub; the memory store announces its own.
package final class SessionEndings: Sendable {
    private struct Listener: Sendable {
        var ended: @Sendable (SessionKey) -> Void
        var gap: @Sendable () -> Void
    }

    private let listeners = Mutex<[Listener]>([])

    package init() {}

    /// Adds a listener: `ended` for each session that ended; `gap` when announcements may have
    /// been missed (the subscription was lost and is back), so listeners must look again.
    package func listen(ended: @escaping @Sendable (SessionKey) -> Void, gap: @escaping @Sendable () -> Void) {
        listeners.withLock { $0.append(Listener(ended: ended, gap: gap)) }
    }

    /// The session under `key` ended (on any replica).
    package func ended(_ key: SessionKey) {
        for listener in listeners.withLock({ $0 }) { listener.ended(key) }
    }

    /// Announcements may have been missed.
    package func gap() {
        for listener in listeners.withLock({ $0 }) { listener.gap() }
    }
}

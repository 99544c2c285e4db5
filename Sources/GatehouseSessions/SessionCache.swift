import Synchronization

/// Decrypted sessions kept for a moment in this process, so a busy SPA's
/// burst of API calls costs one store read and one decryption, not one each.
///
/// Ending a session removes it here at once; other replicas hear of it from
/// the store (Redis publishes ended session keys) and remove theirs. If such
/// a message is lost, `lifetime` bounds how long another replica can still
/// serve the ended session — so it is kept short.
package final class SessionCache: Sendable {
    private struct Entry {
        var record: SessionRecord?
        var loadedAt: ContinuousClock.Instant
        var touchedAt: ContinuousClock.Instant
    }

    /// How long a record read from the store is reused.
    package let lifetime: Duration
    /// The store's idle TTL is extended at most this often per session.
    package let touchInterval: Duration
    private let capacity: Int
    private let entries = Mutex<[SessionKey: Entry]>([:])

    package init(lifetime: Duration = .seconds(2), touchInterval: Duration = .seconds(60), capacity: Int = 4096) {
        self.lifetime = lifetime
        self.touchInterval = touchInterval
        self.capacity = capacity
    }

    /// The cached record, if it was read less than `lifetime` ago.
    package func record(for key: SessionKey, at now: ContinuousClock.Instant) -> SessionRecord? {
        entries.withLock { entries in
            guard let entry = entries[key], now - entry.loadedAt < lifetime else { return nil }
            return entry.record
        }
    }

    /// Keeps `record` as read (or written) at `now`.
    package func store(_ record: SessionRecord, for key: SessionKey, at now: ContinuousClock.Instant) {
        entries.withLock { entries in
            if entries[key] == nil && entries.count >= capacity {
                // Full: drop what has expired and, if that is not enough, a quarter of the rest,
                // so the next inserts neither scan again nor are refused. (A full cache of recent
                // entries used to scan all of them and then refuse the newcomer, on every read of
                // a session it did not hold: with more sessions than room, most of a request's CPU.)
                entries = entries.filter { now - $0.value.loadedAt < lifetime }
                if entries.count >= capacity {
                    for doomed in Array(entries.keys.prefix(entries.count - capacity * 3 / 4)) { entries.removeValue(forKey: doomed) }
                }
            }
            let touchedAt = entries[key]?.touchedAt ?? now - touchInterval
            entries[key] = Entry(record: record, loadedAt: now, touchedAt: touchedAt)
        }
    }

    /// Whether the store's TTL should be extended now; claims the touch when it should.
    package func claimTouch(for key: SessionKey, at now: ContinuousClock.Instant) -> Bool {
        entries.withLock { entries in
            guard let entry = entries[key] else { return true }
            guard now - entry.touchedAt >= touchInterval else { return false }
            entries[key]?.touchedAt = now
            return true
        }
    }

    /// Forgets one session (it ended).
    package func remove(_ key: SessionKey) {
        _ = entries.withLock { $0.removeValue(forKey: key) }
    }

    /// Forgets every session (after a gap in which end messages may have been missed).
    package func removeAll() {
        entries.withLock { $0.removeAll() }
    }

    /// How many sessions are held (for tests).
    package var count: Int { entries.withLock { $0.count } }
}

import Foundation
package import GatehouseSessions
import Logging
import Synchronization

/// Ties long-lived answers — WebSocket relays, server-sent events, chunked downloads — to their
/// session: ``waitForEnd(of:record:)`` returns once the session ends, and the stream closes then.
///
/// Ends are learnt two ways, neither a poll per stream: the store's announcements (logout,
/// the sessions and admin APIs, back-channel logout, `invalid_grant`, on any replica; fed in by
/// ``ended(_:)``), and for the idle and absolute timeouts, which expire silently in Redis, one
/// timer per stream at the moment the session would expire, which then reads the store once.
package final class SessionStreams: Sendable {
    private struct State {
        var nextID: UInt64 = 0
        var waiters: [SessionKey: [UInt64: AsyncStream<Void>.Continuation]] = [:]
    }

    private let state = Mutex(State())
    private let vault: SessionVault
    private let idleTimeout: Duration
    private let logger = Logger(label: "gatehouse.streams")

    package init(vault: SessionVault, idleTimeout: Duration) {
        self.vault = vault
        self.idleTimeout = idleTimeout
    }

    /// How many streams wait on a session now (for tests and the metrics).
    package var count: Int { state.withLock { $0.waiters.values.reduce(0) { $0 + $1.count } } }

    /// Returns when the session under `key` has ended, or when the calling task is cancelled.
    package func waitForEnd(of key: SessionKey, record: SessionRecord) async {
        // Listen first, then look once: an end between loading the session and this call is not
        // announced again, but the store no longer holds the session.
        let (id, announced) = register(key)
        defer { unregister(key, id: id) }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                // Ends when `ended` finishes it, or when this task is cancelled.
                for await _ in announced {}
            }
            group.addTask { await self.expiry(of: key, record: record) }
            _ = await group.next()
            group.cancelAll()
        }
    }

    /// The session under `key` ended: every stream on it closes.
    package func ended(_ key: SessionKey) {
        let waiters = state.withLock { $0.waiters.removeValue(forKey: key) } ?? [:]
        for continuation in waiters.values { continuation.finish() }
    }

    /// Announcements may have been missed: each watched session is looked up once.
    package func gap() {
        let keys = state.withLock { Array($0.waiters.keys) }
        guard !keys.isEmpty else { return }
        Task {
            for key in keys {
                // A store error says nothing about the session: keep its streams.
                do {
                    if try await vault.peek(key, now: Date()) == nil { ended(key) }
                } catch {}
            }
        }
    }

    private func register(_ key: SessionKey) -> (UInt64, AsyncStream<Void>) {
        let (stream, continuation) = AsyncStream<Void>.makeStream()
        let id = state.withLock { state in
            state.nextID += 1
            state.waiters[key, default: [:]][state.nextID] = continuation
            return state.nextID
        }
        return (id, stream)
    }

    private func unregister(_ key: SessionKey, id: UInt64) {
        let continuation = state.withLock { state in
            let continuation = state.waiters[key]?.removeValue(forKey: id)
            if state.waiters[key]?.isEmpty == true { state.waiters[key] = nil }
            return continuation
        }
        continuation?.finish()
    }

    /// Returns once the session is past its expiry and the store confirms it is gone.
    private func expiry(of key: SessionKey, record: SessionRecord) async {
        var wait = record.expiresAt(idleTimeout: idleTimeout).timeIntervalSinceNow
        do {
            if try await vault.peek(key, now: Date()) == nil { return }
        } catch {}
        while !Task.isCancelled {
            // A timer to the moment the session would expire, not a wait for a condition.
            do {
                try await Task.sleep(for: .milliseconds(Int64(max(wait, 0) * 1000) + 500))
            } catch {
                return
            }
            do {
                guard let current = try await vault.peek(key, now: Date()) else { return }
                // Still alive: a request slid its idle timeout meanwhile. Its record may not say
                // so yet (last seen is written at most once a touch interval): look again later.
                wait = current.expiresAt(idleTimeout: idleTimeout).timeIntervalSinceNow
                if wait <= 0 { wait = Self.recheckInterval }
            } catch {
                logger.warning("session store unreachable while checking a stream's session", metadata: ["gatehouse.error": "\(error)"])
                wait = Self.recheckInterval
            }
        }
    }

    /// How soon a session that outlived its record's expiry, or a store that failed, is looked at again.
    static let recheckInterval: TimeInterval = 5
}

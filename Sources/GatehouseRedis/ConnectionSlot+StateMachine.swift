package import NIOCore

/// The life of one pool slot, as a value type that returns what to do.
/// Generic so tests drive it without sockets.
struct ConnectionSlotStateMachine<Connection: Sendable, Waiter: Sendable>: Sendable {
    enum State: Sendable {
        case idle(failures: Int)
        case connecting(failures: Int, waiters: [Waiter])
        case connected(Connection)
        case backingOff(until: NIODeadline, failures: Int, reason: RedisClientError)
        case shutdown
    }

    enum LeaseAction: Sendable {
        case use(Connection)
        /// Start connecting; the caller is the first waiter.
        case connect
        /// A connect is under way; the waiter was queued.
        case wait
        case fail(RedisClientError)
    }

    private(set) var state: State = .idle(failures: 0)

    /// A caller wants a connection.
    mutating func lease(_ waiter: Waiter, now: NIODeadline) -> LeaseAction {
        switch state {
        case .connected(let connection):
            return .use(connection)
        case .idle(let failures):
            state = .connecting(failures: failures, waiters: [waiter])
            return .connect
        case .connecting(let failures, var waiters):
            waiters.append(waiter)
            state = .connecting(failures: failures, waiters: waiters)
            return .wait
        case .backingOff(let until, let failures, let reason):
            // Fail fast while backing off: callers answer 503 at once instead of piling up.
            guard now >= until else { return .fail(.unavailable(reason.description)) }
            state = .connecting(failures: failures, waiters: [waiter])
            return .connect
        case .shutdown:
            return .fail(.shutdown)
        }
    }

    /// The connect finished; hand the connection to every waiter.
    mutating func connected(_ connection: Connection) -> (waiters: [Waiter], keep: Bool) {
        guard case .connecting(_, let waiters) = state else {
            // Shut down while connecting: the caller closes the connection.
            return ([], false)
        }
        state = .connected(connection)
        return (waiters, true)
    }

    /// The connect failed; back off and fail every waiter.
    mutating func connectFailed(_ error: RedisClientError, now: NIODeadline, backoff: Backoff, jitter: Double) -> [Waiter] {
        guard case .connecting(let failures, let waiters) = state else { return [] }
        let attempts = failures + 1
        state = .backingOff(until: now + backoff.delay(afterFailures: attempts, jitter: jitter), failures: attempts, reason: error)
        return waiters
    }

    /// The connection closed; the next lease reconnects.
    mutating func closed(isCurrent: (Connection) -> Bool) {
        if case .connected(let connection) = state, isCurrent(connection) {
            state = .idle(failures: 0)
        }
    }

    /// Stop: returns the connection to close and the waiters to fail.
    mutating func shutdown() -> (connection: Connection?, waiters: [Waiter]) {
        defer { state = .shutdown }
        switch state {
        case .connected(let connection): return (connection, [])
        case .connecting(_, let waiters): return (nil, waiters)
        default: return (nil, [])
        }
    }
}

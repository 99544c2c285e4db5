import Synchronization

/// A `Clock` that moves only when a test calls ``advance(by:)``; sleepers wake when their deadline is reached.
package final class TestClock: Clock, Sendable {
    /// The clock measures time in `Swift.Duration`.
    package typealias Duration = Swift.Duration

    /// A point on the test clock: the time advanced since the clock was made.
    package struct Instant: InstantProtocol, Sendable {
        package typealias Duration = Swift.Duration

        /// Time since the clock's start.
        package var offset: Duration

        package func advanced(by duration: Duration) -> Instant { Instant(offset: self.offset + duration) }
        package func duration(to other: Instant) -> Duration { other.offset - self.offset }
        package static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    private struct Sleeper {
        var deadline: Instant
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now = Instant(offset: .zero)
        var nextID = 0
        var sleepers: [Int: Sleeper] = [:]
    }

    private let state = Mutex(State())

    /// Creates a clock at offset zero.
    package init() {}

    /// The current instant.
    package var now: Instant { self.state.withLock { $0.now } }

    /// How many tasks are sleeping on this clock (lets a test wait until a sleeper is registered).
    package var sleeperCount: Int { self.state.withLock { $0.sleepers.count } }

    /// The clock has no resolution limit.
    package var minimumResolution: Duration { .zero }

    /// Moves time forward and wakes every sleeper whose deadline has been reached.
    package func advance(by duration: Duration) {
        let woken = self.state.withLock { state -> [CheckedContinuation<Void, any Error>] in
            state.now = state.now.advanced(by: duration)
            let now = state.now
            let due = state.sleepers.filter { $0.value.deadline <= now }
            for id in due.keys { state.sleepers[id] = nil }
            return due.values.map(\.continuation)
        }
        for continuation in woken { continuation.resume() }
    }

    /// Suspends until the clock is advanced to `deadline`, or the task is cancelled.
    package func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
        let id = self.state.withLock { state -> Int in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let resumeNow = self.state.withLock { state -> Bool in
                    if deadline <= state.now || Task.isCancelled { return true }
                    state.sleepers[id] = Sleeper(deadline: deadline, continuation: continuation)
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let sleeper = self.state.withLock { $0.sleepers.removeValue(forKey: id) }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
        try Task.checkCancellation()
    }
}

package import NIOCore

/// Capped exponential backoff with jitter between reconnect attempts.
package struct Backoff: Sendable, Hashable {
    package var initial: TimeAmount
    package var maximum: TimeAmount

    package init(initial: TimeAmount = .milliseconds(50), maximum: TimeAmount = .seconds(1)) {
        self.initial = initial
        self.maximum = maximum
    }

    /// The wait after `failures` consecutive failed connects (1 = the first),
    /// scaled by `jitter` in 0.5...1 so replicas do not reconnect in lockstep.
    package func delay(afterFailures failures: Int, jitter: Double) -> TimeAmount {
        let exponent = min(max(failures - 1, 0), 30)
        let uncapped = initial.nanoseconds.multipliedReportingOverflow(by: Int64(1) << exponent)
        let capped = uncapped.overflow ? maximum.nanoseconds : min(uncapped.partialValue, maximum.nanoseconds)
        let scale = min(max(jitter, 0.5), 1.0)
        return .nanoseconds(Int64(Double(capped) * scale))
    }
}

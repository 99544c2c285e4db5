package import Foundation

/// Decides whether an unknown `kid` may trigger a JWKS refetch: at most one per interval.
///
/// A value type the caller keeps in its actor; tokens with made-up kids then cost at most one
/// provider request per interval, however many arrive.
package struct JWKSRefetchPolicy: Sendable, Hashable {
    /// What to do about an unknown `kid`.
    package enum Decision: Sendable, Hashable {
        /// Fetch the JWKS now, then validate again.
        case refetch
        /// A fetch happened recently: reject the token; a refetch is allowed again from `date`.
        case reject(retryAfter: Date)
    }

    /// The shortest time between two fetches caused by unknown kids.
    package let minimumInterval: Duration
    private var lastFetch: Date?

    /// Creates a policy.
    package init(minimumInterval: Duration = .seconds(30)) {
        self.minimumInterval = minimumInterval
    }

    /// Records a fetch (at start-up, on schedule or after ``refetchDecision(now:)``).
    package mutating func didFetch(at now: Date) {
        self.lastFetch = now
    }

    /// Decides for an unknown `kid`; a `.refetch` answer counts as the fetch, so concurrent
    /// callers asking right after get `.reject`.
    package mutating func refetchDecision(now: Date) -> Decision {
        if let lastFetch {
            let next = lastFetch.addingTimeInterval(self.minimumInterval.timeInterval)
            if now < next { return .reject(retryAfter: next) }
        }
        self.lastFetch = now
        return .refetch
    }
}

package import Foundation

/// How long sessions and login attempts live.
package struct SessionTimeouts: Sendable, Hashable {
    /// Sliding: a session unused this long ends (`session.idle_timeout`).
    package var idle: Duration
    /// A session ends this long after login whatever happens (`session.absolute_timeout`).
    package var absolute: Duration
    /// How long a login may take between `/bff/login` and the callback.
    package var login: Duration

    /// Creates timeouts.
    package init(idle: Duration = .seconds(30 * 60), absolute: Duration = .seconds(12 * 3600), login: Duration = .seconds(600)) {
        self.idle = idle
        self.absolute = absolute
        self.login = login
    }

    /// The store TTL for a session at `now`: the idle timeout, cut short by the absolute expiry; `nil` once expired.
    package func timeToLive(absoluteExpiresAt: Date, now: Date) -> Duration? {
        let remaining = absoluteExpiresAt.timeIntervalSince(now)
        guard remaining > 0 else { return nil }
        let milliseconds = Int64((remaining * 1000).rounded(.down))
        guard milliseconds > 0 else { return nil }
        return min(self.idle, .milliseconds(milliseconds))
    }
}

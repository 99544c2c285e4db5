package import Foundation

/// When an access token should be refreshed before use (the "policy" part of token management).
package struct RefreshPolicy: Sendable, Hashable {
    /// Refresh when the token expires within this window (`session.refresh_before_expiry`).
    package var refreshBeforeExpiry: Duration

    /// Creates a policy.
    package init(refreshBeforeExpiry: Duration = .seconds(60)) {
        self.refreshBeforeExpiry = refreshBeforeExpiry
    }

    /// Whether a token expiring at `expiresAt` needs a refresh at `now`.
    ///
    /// An unknown expiry (no `expires_in`) never triggers one: the upstream's 401 is the signal then.
    package func needsRefresh(expiresAt: Date?, now: Date) -> Bool {
        guard let expiresAt else { return false }
        return expiresAt.timeIntervalSince(now) <= self.refreshBeforeExpiry.timeInterval
    }
}

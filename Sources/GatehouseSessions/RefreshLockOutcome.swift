/// How ``RefreshLock/acquireOrWait(_:owner:lease:timeout:)`` ended.
package enum RefreshLockOutcome: Sendable, Hashable {
    /// The caller holds the lock now.
    case acquired
    /// Another holder released it: re-read the session, its refresh is likely done.
    case released
    /// Nobody signalled within the timeout; re-read and try again.
    case timedOut
}

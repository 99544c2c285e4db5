import Synchronization

/// The latest `DPoP-Nonce` (RFC 9449 §8, §9) each server sent this replica — the provider, each
/// route's upstream —, so only the first request after a server changes its nonce pays a retry.
package final class DPoPNonces: Sendable {
    private let latest = Mutex<[String: String]>([:])

    package init() {}

    /// The nonce `server` asked for last, if any.
    package func current(for server: String) -> String? { latest.withLock { $0[server] } }

    func remember(_ nonce: String?, for server: String) {
        guard let nonce else { return }
        latest.withLock { $0[server] = nonce }
    }
}

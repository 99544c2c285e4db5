import Foundation
import GatehouseOAuth
import Testing

@Suite("JWKS refetch and refresh policies")
struct PolicyTests {
    let start = Date(timeIntervalSince1970: 1_700_000_000)

    @Test("an unknown kid triggers at most one refetch per interval")
    func refetchPolicy() {
        var policy = JWKSRefetchPolicy(minimumInterval: .seconds(30))
        #expect(policy.refetchDecision(now: start) == .refetch)
        #expect(policy.refetchDecision(now: start.addingTimeInterval(1)) == .reject(retryAfter: start.addingTimeInterval(30)))
        #expect(policy.refetchDecision(now: start.addingTimeInterval(29.9)) != .refetch)
        #expect(policy.refetchDecision(now: start.addingTimeInterval(30)) == .refetch)
    }

    @Test("a scheduled fetch also counts against the interval")
    func scheduledFetchCounts() {
        var policy = JWKSRefetchPolicy(minimumInterval: .seconds(30))
        policy.didFetch(at: start)
        #expect(policy.refetchDecision(now: start.addingTimeInterval(10)) != .refetch)
        #expect(policy.refetchDecision(now: start.addingTimeInterval(31)) == .refetch)
    }

    @Test("a token needs a refresh within refresh_before_expiry of its expiry, not before")
    func refreshPolicy() {
        let policy = RefreshPolicy(refreshBeforeExpiry: .seconds(60))
        #expect(!policy.needsRefresh(expiresAt: start.addingTimeInterval(61), now: start))
        #expect(policy.needsRefresh(expiresAt: start.addingTimeInterval(60), now: start))
        #expect(policy.needsRefresh(expiresAt: start.addingTimeInterval(-5), now: start))
        #expect(!policy.needsRefresh(expiresAt: nil, now: start))
    }
}

import Foundation
import GatehouseOAuth
import GatehouseRedis
import GatehouseSessions
import GatehouseTestSupport
import Testing

/// Two replicas — two clients, two locks, two subscribers — on one redis-server.
@Suite("The Redis refresh lock wakes waiters on other replicas")
struct RedisRefreshLockReplicaTests {
    let random = SystemRandomSource()

    @Test("a replica waiting for another's lock is woken by its release, across connections")
    func wakesAcrossReplicas() async throws {
        try await withRedis { server, clientA in
            let clientB = try RedisClient(configuration: clientA.configuration)
            let subscribers = SubscriberTasks()
            let prefix = "t-\(UUID().uuidString):"
            let replicaA = RedisRefreshLock(client: clientA, prefix: prefix)
            let replicaB = RedisRefreshLock(client: clientB, prefix: prefix)
            do {
                try await subscribers.start(replicaA.subscriber)
                try await subscribers.start(replicaB.subscriber)
                let key = SessionStoreConformance.newKey()
                let alice = LockOwner.generate(using: random), bob = LockOwner.generate(using: random)
                #expect(try await replicaA.acquire(key, owner: alice, lease: .seconds(60)))
                let waiting = Task { try await replicaB.acquireOrWait(key, owner: bob, lease: .seconds(5), timeout: .seconds(30)) }
                try await Task.sleep(for: .milliseconds(200))
                let released = ContinuousClock.now
                #expect(try await replicaA.release(key, owner: alice))
                #expect(try await waiting.value != .timedOut, "woken by the message (acquired only if it started after the release)")
                #expect(ContinuousClock.now - released < .seconds(10), "woken by the message, not the 30 s timeout")

                // A crash drops the subscription; the subscriber comes back by itself after the restart.
                await server.kill()
                try await waitUntil("the subscription noticed the crash") { !replicaB.subscriber.isSubscribed }
                try await server.restart()
                try await waitUntil("resubscribed after the restart") { replicaB.subscriber.isSubscribed }
                #expect(try await replicaA.acquire(key, owner: alice, lease: .seconds(60)))
                let again = Task { try await replicaB.acquireOrWait(key, owner: bob, lease: .seconds(5), timeout: .seconds(30)) }
                try await Task.sleep(for: .milliseconds(200))
                #expect(try await replicaA.release(key, owner: alice))
                #expect(try await again.value != .timedOut)
            } catch {
                await subscribers.stop()
                await clientB.shutdown()
                throw error
            }
            await subscribers.stop()
            await clientB.shutdown()
        }
    }
}

import Foundation
import GatehouseRedis
import GatehouseSessions
import GatehouseTestSupport
import Testing

/// The session store and the refresh lock on a real 3-node Redis Cluster (`redis-server
/// --cluster-enabled yes`, formed by `redis-cli --cluster create`): the same conformance suites the
/// memory store and standalone Redis pass, all checks side by side on one cluster.
@Suite("Redis Cluster: the store and the lock pass the conformance suites")
struct RedisClusterStoreTests {
    @Test("RedisSessionStore on a cluster passes every check of the session store conformance suite")
    func store() async throws {
        try await withCluster { _, client in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for check in SessionStoreConformance.Check.allCases {
                    group.addTask {
                        let prefixes = PrefixBox()
                        let suite = SessionStoreConformance(
                            ttl: .seconds(8),
                            makeStoreAndLock: {
                                let prefix = "t-\(UUID().uuidString):"
                                prefixes.value = prefix
                                return (RedisSessionStore(cluster: client, prefix: prefix), RedisRefreshLock(cluster: client, prefix: prefix))
                            },
                            letTimePass: { try await Task.sleep(for: $0 + .milliseconds(50)) },
                            indexEntryCount: { _, subject in
                                try await client.zcard(prefixes.value + "sub:" + SessionKey(hashing: subject).rawValue)
                            }
                        )
                        try await suite.run(check)
                    }
                }
                try await group.waitForAll()
            }
        }
    }

    @Test("RedisRefreshLock on a cluster passes every check of the refresh lock conformance suite")
    func lock() async throws {
        try await withCluster { _, client in
            let subscribers = SubscriberTasks()
            do {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for check in RefreshLockConformance.Check.allCases {
                        group.addTask {
                            let suite = RefreshLockConformance(
                                lease: .seconds(6),
                                makeLock: {
                                    let lock = RedisRefreshLock(cluster: client, prefix: "t-\(UUID().uuidString):")
                                    try await subscribers.start(lock.subscriber)
                                    return lock
                                },
                                letTimePass: { try await Task.sleep(for: $0 + .milliseconds(50)) }
                            )
                            try await suite.run(check)
                        }
                    }
                    try await group.waitForAll()
                }
            } catch {
                await subscribers.stop()
                throw error
            }
            await subscribers.stop()
        }
    }

    @Test("keys spread over all three nodes; a record and its lock share a slot; a record is found again from the cookie alone")
    func layout() async throws {
        try await withCluster { _, client in
            let store = RedisSessionStore(cluster: client, prefix: "layout:")
            var nodes: Set<String> = []
            for index in 0..<60 {
                let key = SessionKey(hashing: "cookie-\(index)")
                try await store.save(key, sealed: Array("record \(index)".utf8), subject: "user-\(index % 7)", sid: nil, ttl: .seconds(30))
                let slot = RedisClusterSlot.of("layout:{\(key.rawValue)}:s")
                #expect(slot == RedisClusterSlot.of("layout:{\(key.rawValue)}:lock"))
                nodes.insert(try #require(client.slots?.primary(for: slot)).description)
                // Found again from the cookie alone: its hash names the key, the key names the slot.
                #expect(try await store.load(SessionKey(hashing: "cookie-\(index)")) == Array("record \(index)".utf8))
            }
            #expect(nodes.count == 3, "sessions land on every primary: \(nodes)")
            #expect(try await store.keys(subject: "user-3").count == 60 / 7 + (3 < 60 % 7 ? 1 : 0))
            #expect(try await store.deleteAll(subject: "user-3") == 60 / 7 + (3 < 60 % 7 ? 1 : 0))
            #expect(try await store.keys(subject: "user-3").isEmpty)
        }
    }

    @Test("with the node of the user's index down, a login's save fails and writes no record that logout could not find")
    func indexNodeDown() async throws {
        try await withCluster { cluster, client in
            let store = RedisSessionStore(cluster: client, prefix: "down:")
            _ = try await client.refreshSlots()
            let map = try #require(client.slots)
            let subject = "mallory"
            let indexNode = try #require(map.primary(for: RedisClusterSlot.of("down:sub:" + SessionKey(hashing: subject).rawValue)))
            // A session whose record lives on another node than the index.
            let key = try #require((0..<200).lazy.map { SessionKey(hashing: "cookie-\($0)") }.first {
                map.primary(for: RedisClusterSlot.of("down:{\($0.rawValue)}:s")) != indexNode
            })
            let recordNode = try #require(cluster.nodes.first { $0.port == map.primary(for: RedisClusterSlot.of("down:{\(key.rawValue)}:s"))?.port })
            await try #require(cluster.nodes.first { $0.port == indexNode.port }).kill()
            await #expect(throws: (any Error).self) {
                try await store.save(key, sealed: [7], subject: subject, sid: nil, ttl: .seconds(60))
            }
            let exists = try await cluster.cli(["-p", String(recordNode.port), "exists", "down:{\(key.rawValue)}:s"]).output
            #expect(exists.trimmingCharacters(in: .whitespacesAndNewlines) == "0", "a record was written without its index entry")
        }
    }

    @Test("a login caught between its index entry and its record: listing leaves it indexed, and a logout of the user in that moment keeps it from being written")
    func saveInFlight() async throws {
        try await withCluster { _, client in
            let store = RedisSessionStore(cluster: client, prefix: "race:")
            let index = "race:sub:" + SessionKey(hashing: "carol").rawValue
            // What a save has done when it is between its two steps: the index entry, no record yet.
            func halfSaved(_ key: SessionKey) async throws {
                _ = try await client.send(["ZADD", index, "99999999999999", key.rawValue].map { Array($0.utf8) })
            }
            let listed = SessionKey(hashing: "cookie-listed")
            try await halfSaved(listed)
            #expect(try await store.keys(subject: "carol").isEmpty, "no record yet")
            try await store.save(listed, sealed: [1], subject: "carol", sid: nil, ttl: .seconds(60))
            #expect(try await store.keys(subject: "carol") == [listed], "the listing did not drop the entry of a login being saved")

            let ended = SessionKey(hashing: "cookie-ended")
            try await halfSaved(ended)
            #expect(try await store.deleteAll(subject: "carol") == 1, "the one saved session ended")
            await #expect(throws: SessionStoreError.self, "the save that was in flight must not write a session the logout ended") {
                try await store.save(ended, sealed: [2], subject: "carol", sid: nil, ttl: .seconds(60))
            }
            #expect(try await store.load(ended) == nil)
            #expect(try await store.keys(subject: "carol").isEmpty)
            // A new login (a new cookie) after the logout is not affected.
            let next = SessionKey(hashing: "cookie-next")
            try await store.save(next, sealed: [3], subject: "carol", sid: nil, ttl: .seconds(60))
            #expect(try await store.keys(subject: "carol") == [next])
        }
    }

    @Test("ASK during a slot migration and MOVED after it are followed: the client keeps reading and writing a session whose slot moved")
    func movedSlot() async throws {
        try await withCluster { cluster, client in
            let store = RedisSessionStore(cluster: client, prefix: "moved:")
            let key = SessionKey(hashing: "the-cookie")
            try await store.save(key, sealed: [1, 2, 3], subject: "alice", sid: nil, ttl: .seconds(60))
            let slot = RedisClusterSlot.of("moved:{\(key.rawValue)}:s")
            let from = try #require(client.slots?.primary(for: slot))
            let source = try #require(cluster.nodes.first { $0.port == from.port })
            let target = try #require(cluster.nodes.first { $0.port != from.port })
            // Move the slot by hand, as redis-cli --cluster reshard does: migrate the key, then assign the slot.
            func id(_ node: RedisServer) async throws -> String {
                try await cluster.cli(["-p", String(node.port), "cluster", "myid"]).output.trimmingCharacters(in: .whitespacesAndNewlines)
            }
            let (sourceID, targetID) = (try await id(source), try await id(target))
            _ = try await cluster.cli(["-p", String(target.port), "cluster", "setslot", String(slot), "importing", sourceID])
            _ = try await cluster.cli(["-p", String(source.port), "cluster", "setslot", String(slot), "migrating", targetID])
            _ = try await cluster.cli(["-p", String(source.port), "migrate", "127.0.0.1", String(target.port), "", "0", "5000", "keys", "moved:{\(key.rawValue)}:s"])
            // Mid-migration the old node answers ASK for the key it no longer holds: asked once at the new node.
            #expect(try await store.load(key) == [1, 2, 3], "ASK is followed with ASKING")
            #expect(client.slots?.primary(for: slot)?.port == from.port, "an ASK does not change the map")
            for node in cluster.nodes { _ = try await cluster.cli(["-p", String(node.port), "cluster", "setslot", String(slot), "node", targetID]) }
            #expect(try await store.load(key) == [1, 2, 3], "the stale map sends it to the old node, whose MOVED is followed")
            try await waitUntil("the map names the new node") { client.slots?.primary(for: slot)?.port == target.port }
            #expect(try await store.touch(key, subject: "alice", sid: nil, ttl: .seconds(60)))
            #expect(try await store.keys(subject: "alice") == [key])
        }
    }
}

/// Starts a 3-node cluster and a cluster client on it; stops both afterwards.
func withCluster(_ body: (RedisClusterSetup, RedisClusterClient) async throws -> Void) async throws {
    let cluster = try await RedisClusterSetup.start(nodes: 3)
    defer { cluster.stop() }
    let client = try RedisClusterClient(configuration: RedisConfiguration(
        endpoint: try RedisEndpoint(url: cluster.url), poolSize: 2, backoff: Backoff(initial: .milliseconds(20), maximum: .milliseconds(200))
    ))
    do {
        try await body(cluster, client)
        await client.shutdown()
    } catch {
        await client.shutdown()
        throw error
    }
}

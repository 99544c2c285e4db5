import GatehouseRedis
import GatehouseSessions
import GatehouseTestSupport
import Testing

@Suite("Redis Cluster: hash slots, the slot map, redirects")
struct RedisClusterSlotTests {
    @Test("CRC16 and hash tags as the specification gives them; a real cluster node agrees on every key")
    func slots() async throws {
        // The specification's check value, and its hash-tag examples.
        #expect(RedisClusterSlot.of("123456789") == 0x31C3 % 16_384)
        #expect(RedisClusterSlot.of("{user1000}.following") == RedisClusterSlot.of("{user1000}.followers"))
        #expect(RedisClusterSlot.of("foo{{bar}}zap") == RedisClusterSlot.of("{bar"))
        #expect(RedisClusterSlot.of("foo{bar}{zap}") == RedisClusterSlot.of("bar"))

        let cluster = try await RedisClusterSetup.start(nodes: 3)
        defer { cluster.stop() }
        let keys = ["", "a", "gatehouse:s:0f3c", "{gatehouse:sub:9a}x", "foo{}{bar}", "foo{{bar}}zap", "x{y}z{w}", "}{", "{", "ü{ñ}"]
            + (0..<40).map { _ in "gatehouse:s:" + String(UInt64.random(in: 0...UInt64.max), radix: 16) }
        for key in keys where !key.isEmpty {
            let answer = try await cluster.cli(["cluster", "keyslot", key]).output.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(Int(answer) == RedisClusterSlot.of(key), "key \(key)")
        }
    }

    @Test("CLUSTER SLOTS of a real cluster: every slot has a primary, the three nodes each own a range; an entry without a host means the seed's")
    func slotMap() async throws {
        let cluster = try await RedisClusterSetup.start(nodes: 3)
        defer { cluster.stop() }
        let client = try RedisClient(configuration: RedisConfiguration(endpoint: RedisEndpoint(url: "redis://127.0.0.1:\(cluster.nodes[0].port)")))
        defer { Task { await client.shutdown() } }
        let reply = try await client.send([Array("CLUSTER".utf8), Array("SLOTS".utf8)])
        let map = try RedisClusterSlots(reply: reply, seed: RedisURL.Address(host: "127.0.0.1", port: cluster.nodes[0].port))
        #expect(Set(map.primaries) == Set(cluster.nodes.map { RedisURL.Address(host: "127.0.0.1", port: $0.port) }))
        #expect((0..<16_384).allSatisfy { map.primary(for: $0) != nil })
        #expect(map.primary(for: 16_384) == nil && map.primary(for: -1) == nil)

        let anonymous = RedisReply.array([.array([.integer(0), .integer(99), .array([.bulkString([]), .integer(7001)])])])
        let seeded = try RedisClusterSlots(reply: anonymous, seed: RedisURL.Address(host: "10.0.0.9", port: 7000))
        #expect(seeded.primary(for: 42) == RedisURL.Address(host: "10.0.0.9", port: 7001) && seeded.primary(for: 100) == nil)
        let overlapping = RedisReply.array([
            .array([.integer(0), .integer(10), .array([.bulkString(Array("a".utf8)), .integer(1)])]),
            .array([.integer(5), .integer(20), .array([.bulkString(Array("b".utf8)), .integer(2)])]),
        ])
        #expect(throws: RedisClientError.self) { try RedisClusterSlots(reply: overlapping, seed: RedisURL.Address(host: "x", port: 1)) }
        #expect(throws: RedisClientError.self) { try RedisClusterSlots(reply: .array([.array([.integer(0), .integer(16_384), .array([.bulkString([]), .integer(1)])])]), seed: RedisURL.Address(host: "x", port: 1)) }
    }

    @Test("MOVED and ASK errors name the slot and the node; anything else is not a redirect")
    func redirects() throws {
        func read(_ text: String) throws -> (RedisClusterRedirect.Kind, Int, String, Int) {
            let redirect = try #require(RedisClusterRedirect(error: text), "\(text)")
            return (redirect.kind, redirect.slot, redirect.address.host, redirect.address.port)
        }
        #expect(try read("MOVED 3999 127.0.0.1:6381") == (.moved, 3999, "127.0.0.1", 6381))
        #expect(try read("ASK 3999 10.1.2.3:7000") == (.ask, 3999, "10.1.2.3", 7000))
        #expect(try read("MOVED 12 [::1]:7001") == (.moved, 12, "::1", 7001))
        #expect(try read("MOVED 12 :7001") == (.moved, 12, "", 7001), "an unknown endpoint: the node that answered")
        for text in ["MOVED 16384 a:1", "MOVED -1 a:1", "MOVED 1 a:0", "MOVED 1 a", "ERR MOVED 1 a:1", "TRYAGAIN Multiple keys request during rehashing of slot", "ASK 1 a:1 extra"] {
            #expect(RedisClusterRedirect(error: text) == nil, "\(text)")
        }
    }
}

import GatehouseRedis
import GatehouseTestSupport
import NIOCore
import Testing

@Suite("Redis client against a real redis-server")
struct RedisClientIntegrationTests {
    @Test("SET, GET, GETDEL, DEL and PING round-trip")
    func basicCommands() async throws {
        try await withRedis { _, client in
            try await client.ping()
            #expect(try await client.get("missing") == nil)
            try await client.set("k", to: "v".bytes)
            #expect(try await client.get("k") == "v".bytes)
            #expect(try await client.getDel("k") == "v".bytes)
            #expect(try await client.getDel("k") == nil)
            try await client.set("a", to: [1])
            try await client.set("b", to: [2])
            #expect(try await client.del(["a", "b", "c"]) == 2)
        }
    }

    @Test("SET NX keeps the first value; EX and PX set a TTL; PEXPIRE changes it")
    func expiryAndNX() async throws {
        try await withRedis { _, client in
            #expect(try await client.set("lock", to: "one".bytes, expiry: .milliseconds(10_000), onlyIfAbsent: true))
            #expect(try await client.set("lock", to: "two".bytes, expiry: .milliseconds(10_000), onlyIfAbsent: true) == false)
            #expect(try await client.get("lock") == "one".bytes)
            let ttl = try await client.pttl("lock")
            #expect((1...10_000).contains(ttl), "PTTL after SET PX 10000 was \(ttl)")
            try await client.set("s", to: [1], expiry: .seconds(100))
            #expect(try await client.pttl("s") > 10_000, "EX counts seconds, not milliseconds")
            #expect(try await client.pexpire("s", milliseconds: 500))
            #expect(try await client.pttl("s") <= 500)
            #expect(try await client.pexpire("nope", milliseconds: 500) == false)
            #expect(try await client.pttl("nope") == -2)
        }
    }

    @Test("sets: SADD, SREM, SMEMBERS")
    func sets() async throws {
        try await withRedis { _, client async throws in
            #expect(try await client.sadd("idx", ["a".bytes, "b".bytes, "a".bytes]) == 2)
            #expect(Set(try await client.smembers("idx")) == Set(["a".bytes, "b".bytes]))
            #expect(try await client.srem("idx", ["a".bytes, "z".bytes]) == 1)
            #expect(try await client.smembers("idx") == ["b".bytes])
            #expect(try await client.smembers("none") == [])
        }
    }

    @Test("EVALSHA falls back to EVAL for an uncached script, then uses the cache")
    func scripts() async throws {
        let release = RedisScript("if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end")
        try await withRedis { _, client in
            try await client.set("lock", to: "me".bytes)
            #expect(try await client.eval(release, keys: ["lock"], arguments: ["other".bytes]) == .integer(0))
            #expect(try await client.eval(release, keys: ["lock"], arguments: ["me".bytes]) == .integer(1))
            #expect(try await client.get("lock") == nil)
        }
    }

    @Test("a server error reply is typed and carries Redis's message")
    func serverError() async throws {
        try await withRedis { _, client in
            try await client.sadd("set", ["x".bytes])
            await #expect(throws: RedisClientError.self) { _ = try await client.get("set") }
            let reply = try await client.send(["NOSUCHCOMMAND".bytes])
            guard case .error(let message) = reply else { Issue.record("expected an error reply"); return }
            #expect(message.contains("unknown command"))
            // The connection is still usable afterwards.
            try await client.ping()
        }
    }

    @Test("values with NUL and CRLF, and a 10 MiB value, round-trip intact")
    func binaryValues() async throws {
        try await withRedis(timeouts: .init(connect: .seconds(2), command: .seconds(10))) { _, client in
            let tricky: [UInt8] = [0, 13, 10, 0, 36, 42, 13, 10, 255]
            try await client.set("bin", to: tricky)
            #expect(try await client.get("bin") == tricky)
            let big = tenMebibytes()
            try await client.set("big", to: big)
            #expect(try await client.get("big") == big)
        }
    }

    @Test("a thousand concurrent commands on two pipelined connections all get their own reply")
    func concurrentPipelining() async throws {
        try await withRedis { _, client in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<1000 {
                    group.addTask {
                        try await client.set("key\(index)", to: "value\(index)".bytes)
                        let value = try await client.get("key\(index)")
                        #expect(value == "value\(index)".bytes)
                    }
                }
                try await group.waitForAll()
            }
            let replies = try await client.pipeline((0..<100).map { ["GET".bytes, "key\($0)".bytes] })
            #expect(replies == (0..<100).map { RedisReply.bulkString("value\($0)".bytes) })
        }
    }

    @Test("SELECT: a database number in the URL keeps keys apart")
    func selectDatabase() async throws {
        try await withRedis(url: { $0.url.replacingOccurrences(of: "/0", with: "/3") }) { server, db3 in
            try await db3.set("where", to: "three".bytes)
            let db0 = try RedisClient(configuration: RedisConfiguration(endpoint: RedisEndpoint(url: server.url)))
            #expect(try await db0.get("where") == nil)
            await db0.shutdown()
            #expect(try await db3.get("where") == "three".bytes)
        }
    }
}

@Suite("Redis authentication")
struct RedisAuthenticationTests {
    @Test("an ACL user with its password is accepted")
    func aclUser() async throws {
        try await withRedis(user: "gatehouse", password: "p@ss word") { _, client in
            try await client.set("k", to: [1])
            #expect(try await client.get("k") == [1])
        }
    }

    @Test("a wrong password gives a clear authentication error that does not contain the password")
    func wrongPassword() async throws {
        let server = try await RedisServer.start(user: "gatehouse", password: "right-password")
        defer { server.stop() }
        let endpoint = try RedisEndpoint(url: "redis://gatehouse:wrong-password-123@127.0.0.1:\(server.port)/0")
        let client = try RedisClient(configuration: RedisConfiguration(endpoint: endpoint))
        do {
            try await client.ping()
            Issue.record("a wrong password must not connect")
        } catch let error as RedisClientError {
            #expect(error == .authenticationFailed)
            #expect(!error.description.contains("wrong-password-123"))
            #expect(error.description.contains("authentication failed"))
        }
        await client.shutdown()
    }

    @Test("a missing password against a server that requires one is an authentication or server error, never a hang")
    func missingPassword() async throws {
        let server = try await RedisServer.start(password: "needed")
        defer { server.stop() }
        let client = try RedisClient(configuration: RedisConfiguration(endpoint: RedisEndpoint(url: "redis://127.0.0.1:\(server.port)/0")))
        await #expect(throws: RedisClientError.self) { try await client.ping() }
        await client.shutdown()
    }
}

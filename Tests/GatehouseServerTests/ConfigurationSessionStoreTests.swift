import GatehouseServer
import Testing

@Suite("Configuration session store")
struct ConfigurationSessionStoreTests {
    private func store(_ value: String) -> (SessionStoreSetting?, [ConfigProblem]) {
        do {
            let configuration = try ConfigurationLoader(environment: ["GATEHOUSE_SESSION_STORE": value]).load(yaml: minimalYAML)
            return (configuration.session.store, [])
        } catch {
            return (nil, error.problems)
        }
    }

    @Test("memory, redis:// and rediss:// URLs are understood, with defaults for port and database")
    func accepted() throws {
        #expect(store("memory").0 == .memory)
        let plain = try #require(store("redis://redis.internal").0)
        #expect(plain.description == "redis://redis.internal:6379/0")
        let tls = try #require(store("rediss://default:\(Secrets.redisPassword)@[2001:db8::7]:6380/3").0)
        guard case .redis(let url) = tls else {
            Issue.record("expected Redis")
            return
        }
        #expect(url.usesTLS && url.host == "2001:db8::7" && url.port == 6380 && url.database == 3)
        #expect(url.user == "default" && url.password?.value == Secrets.redisPassword)
        #expect(url.description == "rediss://default:<redacted>@[2001:db8::7]:6380/3")
        #expect(url.url.value == "rediss://default:\(Secrets.redisPassword)@[2001:db8::7]:6380/3")
    }

    @Test("bad store values are one problem each and never repeat the URL")
    func rejected() {
        for bad in ["memcached://x", "redis://", "redis://user@host", "redis://h/db1", "redis://h?x=1", "Memory"] {
            let (value, found) = store(bad)
            #expect(value == nil, "\(bad)")
            #expect(found.map(\.keyPath) == ["session.store"], "\(bad)")
            #expect(!(found.first?.message.contains(bad) ?? true), "\(bad)")
        }
    }

    @Test("unknown keys inside GATEHOUSE_ROUTES are reported with their route's key path")
    func unknownKeyInEnvironmentRoutes() {
        let found = problems(minimalYAML, environment: ["GATEHOUSE_ROUTES": #"[{"path": "/api/", "upstream": "http://a/", "tokn": "user"}]"#])
        #expect(found.map(\.description) == ["routes[0].tokn: unknown key (did you mean token?)"])
    }
}

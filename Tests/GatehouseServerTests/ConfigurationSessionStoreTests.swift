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

    @Test("redis+sentinel:// names the sentinels (26379 by default) and the master, with credentials, a database and TLS")
    func sentinel() throws {
        let text = "rediss+sentinel://app:\(Secrets.redisPassword)@10.0.0.1,10.0.0.2:26380,[2001:db8::9]:26381/sessions-master/2"
        guard case .redis(let url) = try #require(store(text).0) else {
            Issue.record("expected Redis")
            return
        }
        #expect(url.usesTLS && url.database == 2 && url.user == "app" && url.password?.value == Secrets.redisPassword)
        #expect(url.parts.topology == .sentinel(masterName: "sessions-master", sentinels: [
            .init(host: "10.0.0.1", port: 26379), .init(host: "10.0.0.2", port: 26380), .init(host: "2001:db8::9", port: 26381),
        ]))
        #expect(url.description == "rediss+sentinel://app:<redacted>@10.0.0.1:26379,10.0.0.2:26380,[2001:db8::9]:26381/sessions-master/2")
        guard case .redis(let bare) = try #require(store("redis+sentinel://s1/m").0) else { return }
        #expect(bare.parts.topology == .sentinel(masterName: "m", sentinels: [.init(host: "s1", port: 26379)]) && bare.database == 0 && !bare.usesTLS)
    }

    @Test("redis+cluster:// names the seed nodes (6379 by default), with credentials and TLS; only database 0")
    func cluster() throws {
        let text = "rediss+cluster://app:\(Secrets.redisPassword)@10.0.0.1,10.0.0.2:7001,[2001:db8::9]:7002"
        guard case .redis(let url) = try #require(store(text).0) else {
            Issue.record("expected Redis")
            return
        }
        #expect(url.usesTLS && url.database == 0 && url.user == "app" && url.password?.value == Secrets.redisPassword && url.parts.isCluster)
        #expect(url.parts.topology == .cluster(seeds: [.init(host: "10.0.0.1", port: 6379), .init(host: "10.0.0.2", port: 7001), .init(host: "2001:db8::9", port: 7002)]))
        #expect(url.description == "rediss+cluster://app:<redacted>@10.0.0.1:6379,10.0.0.2:7001,[2001:db8::9]:7002")
        for bare in ["redis+cluster://n1", "redis+cluster://n1/", "redis+cluster://n1/0"] {
            guard case .redis(let parsed) = try #require(store(bare).0, "\(bare)") else { return }
            #expect(parsed.parts.topology == .cluster(seeds: [.init(host: "n1", port: 6379)]) && !parsed.usesTLS)
        }
        for bad in ["redis+cluster://n1/1", "redis+cluster://n1,,n2", "redis+cluster://n1:0", "redis+cluster://user@n1", "redis+cluster://n1?x=1", "redis+cluster:///0"] {
            let (value, found) = store(bad)
            #expect(value == nil && found.map(\.keyPath) == ["session.store"], "\(bad)")
            #expect(!(found.first?.message.contains(bad) ?? true), "\(bad)")
        }
    }

    @Test("bad sentinel URLs are one problem each and never repeat the URL")
    func sentinelRejected() {
        for bad in [
            "redis+sentinel://s1:26379", "redis+sentinel://s1:26379/", "redis+sentinel://s1,,s2/m", "redis+sentinel:///m",
            "redis+sentinel://s1:99999/m", "redis+sentinel://s1/m/x", "redis+sentinel://s1/m/0/1", "redis+sentinel://s1/m?x=1",
            "redis+sentinel://user@s1/m", "redis+sentinel://s1/ma ster", "redis+sentinel://:100%zz@s1/m",
        ] {
            let (value, found) = store(bad)
            #expect(value == nil, "\(bad)")
            #expect(found.map(\.keyPath) == ["session.store"], "\(bad)")
            #expect(!(found.first?.message.contains(bad) ?? true), "\(bad)")
        }
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

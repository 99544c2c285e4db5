import GatehouseRedis
import GatehouseServer
import Testing

@Suite("Redis URLs: configuration and client agree")
struct RedisURLAgreementTests {
    private let minimalYAML = """
        public_url: https://app.example.com
        oidc: {issuer: "https://idp.example.com", client_id: spa, client_secret: s}
        session: {encryption_keys: ["AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="]}
        """

    @Test("session.store and RedisEndpoint read the same parts", arguments: [
        ("redis://h:1/3", "h", 1, 3, false, nil as String?, nil as String?),
        ("rediss://u:p@h/", "h", 6379, 0, true, "u", "p"),
    ])
    func agree(url: String, host: String, port: Int, database: Int, tls: Bool, user: String?, password: String?) throws {
        let configuration = try ConfigurationLoader(environment: ["GATEHOUSE_SESSION_STORE": url]).load(yaml: minimalYAML)
        guard case .redis(let configured) = configuration.session.store else {
            Issue.record("expected Redis")
            return
        }
        let endpoint = try RedisEndpoint(url: url)
        #expect(configured.parts == endpoint)
        #expect(endpoint.host == host && endpoint.port == port && endpoint.database == database && endpoint.usesTLS == tls)
        #expect(endpoint.user == user && endpoint.password == password)
        #expect(configured.database == database && configured.description == endpoint.description)
    }

    @Test("a URL the configuration refuses, the client refuses too", arguments: ["redis://h/+3", "redis://h/3/", "redis://h?db=1", "redis://h/123456"])
    func bothRefuse(url: String) {
        #expect(throws: ConfigurationError.self) {
            try ConfigurationLoader(environment: ["GATEHOUSE_SESSION_STORE": url]).load(yaml: minimalYAML)
        }
        #expect(throws: RedisClientError.self) { try RedisEndpoint(url: url) }
    }
}

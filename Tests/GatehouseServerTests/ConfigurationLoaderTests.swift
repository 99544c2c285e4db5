import Foundation
@testable import GatehouseServer
import Testing

@Suite("Configuration loading")
struct ConfigurationLoaderTests {
    @Test("the PRODUCT.md example loads into the expected model")
    func productExample() throws {
        let loaded = try ConfigurationLoader(environment: [:]).load(yaml: productExampleYAML)
        let expected = GatehouseConfiguration(
            listen: ListenAddress(host: "0.0.0.0", port: 8080),
            adminListen: ListenAddress(host: "127.0.0.1", port: 9091),
            publicURL: URL(string: "https://app.example.com")!,
            staticDirectory: "Public",
            oidc: OIDCSettings(
                issuer: URL(string: "https://idp.example.com")!,
                clientID: "spa-bff",
                clientSecret: ConfigSecret(Secrets.clientSecret),
                clientAuthentication: .clientSecretBasic,
                scopes: ["openid", "profile", "email", "offline_access"],
                extraAuthorizationParameters: [:]
            ),
            session: SessionSettings(
                store: .redis(
                    RedisStoreURL(
                        url: ConfigSecret("redis://gatehouse:\(Secrets.redisPassword)@127.0.0.1:6379/0"),
                        host: "127.0.0.1",
                        port: 6379,
                        user: "gatehouse",
                        password: ConfigSecret(Secrets.redisPassword),
                        database: 0,
                        usesTLS: false
                    )
                ),
                cookieName: "__Host-Http-gatehouse",
                sameSite: .strict,
                idleTimeout: .seconds(1800),
                absoluteTimeout: .seconds(43200),
                refreshBeforeExpiry: .seconds(60),
                encryptionKeys: [ConfigSecret(Secrets.keyOne), ConfigSecret(Secrets.keyTwo)]
            ),
            trustedProxies: [],
            log: LogSettings(level: .info, format: .json),
            csrf: CSRFSettings(header: "X-CSRF"),
            routes: [
                Route(
                    path: "/api/",
                    upstream: URL(string: "http://127.0.0.1:9000/")!,
                    token: .user,
                    methods: [.get, .post, .put, .patch, .delete],
                    stripPrefix: false,
                    timeout: .seconds(30),
                    websocket: false
                )
            ]
        )
        #expect(loaded == expected)
        #expect(loaded.redirectURI.absoluteString == "https://app.example.com/bff/callback")
    }

    @Test("a minimal file gets every default of PRODUCT.md")
    func defaults() throws {
        let configuration = try ConfigurationLoader(environment: [:]).load(yaml: minimalYAML)
        #expect(configuration.listen == ListenAddress(host: "0.0.0.0", port: 8080))
        #expect(configuration.adminListen == ListenAddress(host: "127.0.0.1", port: 9091))
        #expect(configuration.staticDirectory == "Public")
        #expect(configuration.oidc.scopes == ["openid", "profile", "email", "offline_access"])
        #expect(configuration.oidc.clientAuthentication == .clientSecretBasic)
        #expect(configuration.oidc.extraAuthorizationParameters.isEmpty)
        #expect(configuration.session.store == .memory)
        #expect(configuration.session.cookieName == "__Host-Http-gatehouse")
        #expect(configuration.session.sameSite == .strict)
        #expect(configuration.session.idleTimeout == .seconds(30 * 60))
        #expect(configuration.session.absoluteTimeout == .seconds(12 * 3600))
        #expect(configuration.session.refreshBeforeExpiry == .seconds(60))
        #expect(configuration.trustedProxies.isEmpty)
        #expect(configuration.log == LogSettings(level: .info, format: .json))
        #expect(configuration.csrf.header == "X-CSRF")
        #expect(configuration.routes.isEmpty)
    }

    @Test("a route with only path and upstream gets the route defaults")
    func routeDefaults() throws {
        let yaml = minimalYAML + "\nroutes:\n  - path: /api/\n    upstream: https://api.internal:8443/v1/\n"
        let route = try #require(try ConfigurationLoader(environment: [:]).load(yaml: yaml).routes.first)
        #expect(route.token == .user)
        #expect(route.methods == [.get, .post, .put, .patch, .delete])
        #expect(route.stripPrefix == false)
        #expect(route.timeout == .seconds(30))
        #expect(route.websocket == false)
        #expect(route.upstream.absoluteString == "https://api.internal:8443/v1/")
    }

    @Test("an http public_url gets the plain cookie name gatehouse, https gets __Host-Http-gatehouse")
    func cookieNameDefault() throws {
        let http = minimalYAML.replacingOccurrences(of: "https://app.example.com", with: "http://localhost:8080")
        let plain = try ConfigurationLoader(environment: [:]).load(yaml: http)
        #expect(plain.session.cookieName == "gatehouse")
        #expect(plain.isHTTPS == false)
        let secure = try ConfigurationLoader(environment: [:]).load(yaml: minimalYAML)
        #expect(secure.session.cookieName == "__Host-Http-gatehouse")
        #expect(secure.isHTTPS)
    }

    @Test("a __Host- cookie name with an http public_url is a problem")
    func hostCookieNeedsHTTPS() {
        let yaml = minimalYAML.replacingOccurrences(of: "https://app.example.com", with: "http://localhost:8080")
            .replacingOccurrences(of: "  store: memory", with: "  store: memory\n  cookie_name: __Host-Http-gatehouse")
        #expect(keyPaths(yaml) == ["session.cookie_name"])
    }

    @Test("a public_url with a trailing slash is normalized; one with a path is a problem")
    func publicURLShape() throws {
        let slash = minimalYAML.replacingOccurrences(of: "https://app.example.com", with: "https://App.Example.com/")
        let configuration = try ConfigurationLoader(environment: [:]).load(yaml: slash)
        #expect(configuration.publicURL.absoluteString == "https://app.example.com")
        #expect(configuration.redirectURI.absoluteString == "https://app.example.com/bff/callback")
        let withPath = minimalYAML.replacingOccurrences(of: "https://app.example.com", with: "https://app.example.com/spa")
        #expect(keyPaths(withPath) == ["public_url"])
        let ftp = minimalYAML.replacingOccurrences(of: "https://app.example.com", with: "ftp://app.example.com")
        #expect(keyPaths(ftp) == ["public_url"])
    }

    @Test("the issuer must be https, except on loopback hosts for development")
    func issuerScheme() {
        for allowed in ["http://localhost:9000", "http://127.0.0.1:9000/realms/dev", "http://[::1]:9000", "https://idp.example.com/tenant/v2.0"] {
            let yaml = minimalYAML.replacingOccurrences(of: "https://idp.example.com", with: allowed)
            #expect(problems(yaml).isEmpty, "\(allowed)")
        }
        let remote = minimalYAML.replacingOccurrences(of: "https://idp.example.com", with: "http://idp.example.com")
        #expect(keyPaths(remote) == ["oidc.issuer"])
    }

    @Test("an empty file reports every required key with its environment variable")
    func requiredKeys() {
        let found = problems("")
        #expect(found.map(\.keyPath) == ["public_url", "oidc.issuer", "oidc.client_id", "oidc.client_secret", "session.store", "session.encryption_keys"])
        #expect(found.first?.message.contains("GATEHOUSE_PUBLIC_URL") == true)
    }

    @Test("a file that is not a mapping, or not YAML, is one problem without a key path")
    func fileShape() {
        #expect(problems("- a\n- b").map(\.keyPath) == [""])
        let syntax = problems("oidc:\n  client_secret: \"\(Secrets.clientSecret)\n  bad: [")
        #expect(syntax.count == 1)
        #expect(syntax.first?.keyPath == "")
        #expect(syntax.first?.message.contains("line") == true)
        #expect(!(syntax.first?.message.contains(Secrets.clientSecret) ?? true))
    }

    @Test("a duplicate key in one mapping is a problem")
    func duplicateKey() {
        let found = problems(minimalYAML + "\npublic_url: https://other.example.com\n")
        #expect(found.count == 1)
        #expect(found.first?.message.contains("duplicate key public_url") == true)
    }

    @Test("loading a file that does not exist is one problem naming the file")
    func missingFile() {
        #expect(throws: ConfigurationError.self) {
            try ConfigurationLoader(environment: [:]).load(fileAt: "/nonexistent/gatehouse.yaml")
        }
        do {
            _ = try ConfigurationLoader(environment: [:]).load(fileAt: "/nonexistent/gatehouse.yaml")
        } catch {
            #expect(error.problems.map(\.description) == [
                "cannot read the configuration file: /nonexistent/gatehouse.yaml does not exist"
            ])
        }
    }

    @Test("the config file is --config, else GATEHOUSE_CONFIG, else gatehouse.yaml")
    func filePath() {
        #expect(ConfigurationLoader(environment: [:]).filePath(argument: nil) == "gatehouse.yaml")
        #expect(ConfigurationLoader(environment: ["GATEHOUSE_CONFIG": "/etc/g.yaml"]).filePath(argument: nil) == "/etc/g.yaml")
        #expect(ConfigurationLoader(environment: ["GATEHOUSE_CONFIG": "/etc/g.yaml"]).filePath(argument: "x.yaml") == "x.yaml")
    }

    @Test("a file on disk loads, and Deploy/gatehouse.example.yaml passes check-config")
    func exampleFile() throws {
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let example = packageRoot.appending(path: "Deploy/gatehouse.example.yaml").path
        let configuration = try ConfigurationLoader(environment: [:]).load(fileAt: example)
        #expect(configuration.session.store == .memory)
        #expect(configuration.session.cookieName == "gatehouse")
        #expect(configuration.routes.map(\.path) == ["/api/"])
    }
}

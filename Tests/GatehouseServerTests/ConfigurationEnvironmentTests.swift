import Foundation
@testable import GatehouseServer
import Testing

@Suite("Configuration environment overrides")
struct ConfigurationEnvironmentTests {
    private func load(yaml: String = minimalYAML, _ environment: [String: String]) throws -> GatehouseConfiguration {
        try ConfigurationLoader(environment: environment).load(yaml: yaml)
    }

    @Test("top-level keys are overridden by GATEHOUSE_<KEY>")
    func topLevel() throws {
        let configuration = try load([
            "GATEHOUSE_LISTEN": "[::]:8443",
            "GATEHOUSE_ADMIN_LISTEN": "localhost:9999",
            "GATEHOUSE_PUBLIC_URL": "https://spa.example.org",
            "GATEHOUSE_STATIC_DIR": "/srv/spa",
        ])
        #expect(configuration.listen == ListenAddress(host: "::", port: 8443))
        #expect(configuration.adminListen == ListenAddress(host: "localhost", port: 9999))
        #expect(configuration.publicURL.absoluteString == "https://spa.example.org")
        #expect(configuration.staticDirectory == "/srv/spa")
    }

    @Test("nested keys are overridden with _ between levels, key names keeping their own _")
    func nested() throws {
        let configuration = try load([
            "GATEHOUSE_OIDC_CLIENT_SECRET": "from-env-secret",
            "GATEHOUSE_OIDC_CLIENT_AUTH": "client_secret_post",
            "GATEHOUSE_SESSION_IDLE_TIMEOUT": "1h30m",
            "GATEHOUSE_SESSION_REFRESH_BEFORE_EXPIRY": "500ms",
            "GATEHOUSE_SESSION_SAME_SITE": "lax",
            "GATEHOUSE_SESSION_STORE": "rediss://:pw@redis.internal:6380/2",
            "GATEHOUSE_LOG_LEVEL": "debug",
            "GATEHOUSE_LOG_FORMAT": "text",
            "GATEHOUSE_CSRF_HEADER": "X-Requested-By",
        ])
        #expect(configuration.oidc.clientSecret?.value == "from-env-secret")
        #expect(configuration.oidc.clientAuthentication == .clientSecretPost)
        #expect(configuration.session.idleTimeout == .seconds(5400))
        #expect(configuration.session.refreshBeforeExpiry == .milliseconds(500))
        #expect(configuration.session.sameSite == .lax)
        guard case .redis(let url) = configuration.session.store else {
            Issue.record("expected Redis")
            return
        }
        #expect(url.usesTLS && url.host == "redis.internal" && url.port == 6380 && url.database == 2)
        #expect(url.user == nil && url.password?.value == "pw")
        #expect(configuration.log == LogSettings(level: .debug, format: .text))
        #expect(configuration.csrf.header == "X-Requested-By")
    }

    @Test("lists come from comma-separated variables, spaces and a trailing comma ignored")
    func lists() throws {
        let configuration = try load([
            "GATEHOUSE_OIDC_SCOPES": "openid, profile ,api.read,",
            "GATEHOUSE_SESSION_ENCRYPTION_KEYS": "\(Secrets.keyTwoBase64),\(Secrets.keyOneBase64)",
            "GATEHOUSE_TRUSTED_PROXIES": "10.0.0.0/8, 2001:db8::/32",
        ])
        #expect(configuration.oidc.scopes == ["openid", "profile", "api.read"])
        #expect(configuration.session.encryptionKeys == [ConfigSecret(Secrets.keyTwo), ConfigSecret(Secrets.keyOne)])
        #expect(configuration.trustedProxies.map(\.description) == ["10.0.0.0/8", "2001:db8::/32"])
    }

    @Test("GATEHOUSE_ROUTES and GATEHOUSE_OIDC_EXTRA_AUTH_PARAMS take JSON or YAML and replace the file's value")
    func structuredValues() throws {
        let yaml = minimalYAML + "\nroutes:\n  - path: /old/\n    upstream: http://old:1/\n"
        let configuration = try load(yaml: yaml, [
            "GATEHOUSE_ROUTES": #"[{"path": "/api/", "upstream": "http://api:8080/", "token": "optional", "methods": ["get", "head"]}, {"path": "/ws/", "upstream": "http://ws:8080/", "websocket": true}]"#,
            "GATEHOUSE_OIDC_EXTRA_AUTH_PARAMS": "{audience: https://api.example.com, prompt: login}",
        ])
        #expect(configuration.routes.map(\.path) == ["/api/", "/ws/"])
        #expect(configuration.routes[0].token == .optional)
        #expect(configuration.routes[0].methods == [.get, .head])
        #expect(configuration.routes[1].websocket)
        #expect(configuration.oidc.extraAuthorizationParameters == ["audience": "https://api.example.com", "prompt": "login"])
    }

    @Test("a GATEHOUSE_ROUTES that is not YAML or JSON is a problem under routes")
    func badRoutesText() {
        let found = problems(minimalYAML, environment: ["GATEHOUSE_ROUTES": "[{\"path\": "])
        #expect(found.map(\.keyPath) == ["routes"])
        #expect(found.first?.message.contains("GATEHOUSE_ROUTES") == true)
    }

    @Test("the whole configuration can come from the environment with an empty file")
    func environmentOnly() throws {
        let configuration = try load(yaml: "", [
            "GATEHOUSE_PUBLIC_URL": "https://app.example.com",
            "GATEHOUSE_OIDC_ISSUER": "https://idp.example.com",
            "GATEHOUSE_OIDC_CLIENT_ID": "spa-bff",
            "GATEHOUSE_OIDC_CLIENT_SECRET": Secrets.clientSecret,
            "GATEHOUSE_SESSION_STORE": "memory",
            "GATEHOUSE_SESSION_ENCRYPTION_KEYS": Secrets.keyOneBase64,
        ])
        #expect(configuration.oidc.clientID == "spa-bff")
    }

    @Test("empty variables and unrelated GATEHOUSE_ variables (Kubernetes service links) are ignored")
    func ignored() throws {
        let configuration = try load([
            "GATEHOUSE_LISTEN": "",
            "GATEHOUSE_SERVICE_HOST": "10.96.0.12",
            "GATEHOUSE_PORT": "tcp://10.96.0.12:8080",
            "GATEHOUSE_CONFIG": "/etc/gatehouse.yaml",
        ])
        #expect(configuration.listen == ListenAddress(host: "0.0.0.0", port: 8080))
    }

    @Test("a bad value from the environment names the variable in its problem")
    func problemNamesVariable() {
        let found = problems(minimalYAML, environment: ["GATEHOUSE_SESSION_IDLE_TIMEOUT": "thirty"])
        #expect(found.map(\.keyPath) == ["session.idle_timeout"])
        #expect(found.first?.message.hasSuffix("(from GATEHOUSE_SESSION_IDLE_TIMEOUT)") == true)
    }

    @Test("every key path has one distinct variable, GATEHOUSE_ + the path upper-cased with _")
    func variableNames() {
        let variables = ConfigurationLoader.environmentVariables
        #expect(Set(variables.map(\.name)).count == variables.count)
        for variable in variables {
            #expect(variable.name == "GATEHOUSE_" + variable.keyPath.uppercased().replacingOccurrences(of: ".", with: "_"))
        }
        let names = Set(variables.map(\.name))
        for expected in ["GATEHOUSE_OIDC_CLIENT_SECRET", "GATEHOUSE_OIDC_CLIENT_SECRET_FILE", "GATEHOUSE_SESSION_STORE_FILE",
                         "GATEHOUSE_SESSION_ENCRYPTION_KEYS_FILE", "GATEHOUSE_ROUTES", "GATEHOUSE_TRUSTED_PROXIES"] {
            #expect(names.contains(expected), "\(expected)")
        }
    }
}

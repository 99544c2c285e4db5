import Foundation
import GatehouseOAuth
import GatehouseServer
import Testing

@Suite("Configuration validation")
struct ConfigurationValidationTests {
    @Test("unknown keys at the top level, in a section and in a route are reported with key paths and suggestions")
    func unknownKeys() {
        let yaml = minimalYAML + """

            listn: 0.0.0.0:8080
            log:
              levle: info
              colour: true
            routes:
              - path: /api/
                upstream: http://127.0.0.1:9000/
                stripprefix: true
            """
        let yamlWithOIDCTypo = yaml.replacingOccurrences(of: "  client_id: spa-bff", with: "  client_id: spa-bff\n  clientsecret: oops")
        let found = problems(yamlWithOIDCTypo)
        #expect(found.map(\.description) == [
            "oidc.clientsecret: unknown key (did you mean client_secret?)",
            "listn: unknown key (did you mean listen?)",
            "log.levle: unknown key (did you mean level?)",
            "log.colour: unknown key",
            "routes[0].stripprefix: unknown key (did you mean strip_prefix?)",
        ])
    }

    @Test("bad duration, enum, URL, CIDR and key length are all reported in one load")
    func everythingAtOnce() {
        let yaml = """
            listen: 8080
            public_url: app.example.com
            oidc:
              issuer: https://idp.example.com
              client_id: spa-bff
              client_secret: "\(Secrets.clientSecret)"
              client_auth: client_secret_jwt
              scopes: [profile]
              extra_auth_params: {state: fixed, audience: api}
            session:
              store: redis://:\(Secrets.redisPassword)@redis:6379/zero
              same_site: none
              idle_timeout: 30
              absolute_timeout: -5m
              encryption_keys: ["\(Secrets.keyOneBase64)", "\(Secrets.shortKeyBase64)", "not base64!"]
            trusted_proxies: [10.0.0.0/8, 10.0.0.0/33, "192.168.1.300"]
            log:
              level: verbose
              format: xml
            csrf:
              header: Content-Type
            routes:
              - path: api/
                upstream: ftp://files.internal/
                token: always
                methods: [GET, TRACE]
                timeout: 0s
                websocket: maybe
              - path: /bff/
                upstream: http://a/
              - path: /ws/
                upstream: http://ws/
                websocket: true
                methods: [POST]
            """
        #expect(keyPaths(yaml) == [
            "listen",
            "public_url",
            "oidc.client_auth",
            "oidc.scopes",
            "oidc.extra_auth_params.state",
            "session.store",
            "session.same_site",
            "session.idle_timeout",
            "session.absolute_timeout",
            "session.encryption_keys[1]",
            "session.encryption_keys[2]",
            "trusted_proxies[1]",
            "trusted_proxies[2]",
            "log.level",
            "log.format",
            "csrf.header",
            "routes[0].path",
            "routes[0].upstream",
            "routes[0].token",
            "routes[0].methods[1]",
            "routes[0].timeout",
            "routes[0].websocket",
            "routes[1].path",
            "routes[2].methods",
        ])
    }

    @Test("no problem message repeats a secret")
    func problemsHoldNoSecret() {
        let yaml = """
            public_url: https://app.example.com
            oidc:
              issuer: https://idp.example.com
              client_id: spa-bff
              client_secret: ["\(Secrets.clientSecret)"]
            session:
              store: redis://user:\(Secrets.redisPassword)@redis:99999/0
              encryption_keys: ["\(Secrets.shortKeyBase64)", "\(Secrets.keyOneBase64)x"]
            routes:
              - path: /api/
                upstream: http://svc:\(Secrets.redisPassword)@api/
            """
        let found = problems(yaml, environment: ["GATEHOUSE_OIDC_CLIENT_SECRET_FILE": "/nonexistent"])
        #expect(found.count >= 4)
        let text = found.map(\.description).joined(separator: "\n")
        for secret in Secrets.all + [Secrets.keyOneBase64 + "x"] {
            #expect(!text.contains(secret))
        }
        let redisOnly = problems(minimalYAML, environment: ["GATEHOUSE_SESSION_STORE": "redis://u:\(Secrets.redisPassword)@h:1/x"])
        #expect(redisOnly.count == 1)
        #expect(!redisOnly[0].description.contains(Secrets.redisPassword))
    }

    @Test("the loaded configuration's description, dump and summary hold no secret")
    func configurationHoldsNoSecretInText() throws {
        let configuration = try ConfigurationLoader(environment: [:]).load(yaml: productExampleYAML)
        var dumped = ""
        dump(configuration, to: &dumped)
        for text in [String(describing: configuration), String(reflecting: configuration), dumped, configuration.summary] {
            for secret in Secrets.all {
                #expect(!text.contains(secret))
            }
            #expect(!text.contains(Secrets.keyOne.map(String.init).joined(separator: ", ")))
        }
        #expect(configuration.summary.contains("redis://gatehouse:<redacted>@127.0.0.1:6379/0"))
        #expect("\(ConfigSecret(Secrets.clientSecret))" == "<redacted>")
    }

    @Test("values of the wrong shape are problems, not crashes")
    func typeErrors() {
        let yaml = """
            listen: [0.0.0.0, 8080]
            public_url: {scheme: https}
            oidc: spa-bff
            session:
              store: memory
              encryption_keys: "\(Secrets.keyOneBase64)"
            trusted_proxies: 10.0.0.0/8
            routes:
              path: /api/
            csrf: [X-CSRF]
            """
        let found = problems(yaml)
        #expect(found.map(\.keyPath) == ["listen", "public_url", "oidc", "session.encryption_keys", "trusted_proxies", "csrf", "routes"])
        #expect(found[0].message == "expected a single value, found a list")
        #expect(found[2].message == "expected a mapping of keys, found a single value")
    }

    @Test("route rules: paths start with /, never overlap /bff/, are unique; methods are upper-cased")
    func routeRules() throws {
        func routes(_ rows: String) -> String { minimalYAML + "\nroutes:\n" + rows }
        for colliding in ["/", "/b", "/bff", "/bff/", "/bff/login"] {
            #expect(keyPaths(routes("  - {path: \"\(colliding)\", upstream: \"http://a/\"}\n")) == ["routes[0].path"], "\(colliding)")
        }
        #expect(problems(routes("  - {path: /bffx/, upstream: http://a/}\n")).isEmpty)
        #expect(keyPaths(routes("  - {path: /api/, upstream: http://a/}\n  - {path: /api/, upstream: http://b/}\n")) == ["routes[1].path"])
        #expect(keyPaths(routes("  - {path: /api/../x, upstream: http://a/}\n")) == ["routes[0].path"])
        let configuration = try ConfigurationLoader(environment: [:]).load(
            yaml: routes("  - {path: /api/, upstream: http://a/, methods: [get, Post, GET]}\n")
        )
        #expect(configuration.routes[0].methods == [.get, .post])
        #expect(keyPaths(routes("  - {path: /api/, upstream: http://a/, methods: []}\n")) == ["routes[0].methods"])
    }

    @Test("session timeouts: refresh_before_expiry < idle_timeout <= absolute_timeout")
    func timeoutRelations() {
        func session(_ lines: String) -> String {
            minimalYAML.replacingOccurrences(of: "  store: memory", with: "  store: memory\n" + lines)
        }
        #expect(keyPaths(session("  idle_timeout: 13h")) == ["session.idle_timeout"])
        #expect(keyPaths(session("  refresh_before_expiry: 30m")) == ["session.refresh_before_expiry"])
        #expect(problems(session("  idle_timeout: 12h\n  refresh_before_expiry: 5m")).isEmpty)
    }

    @Test("listen and admin_listen may not share a port")
    func listenersApart() {
        #expect(keyPaths(minimalYAML + "\nlisten: 0.0.0.0:9091\n") == ["admin_listen"])
        #expect(problems(minimalYAML + "\nlisten: 0.0.0.0:0\nadmin_listen: 127.0.0.1:0\n").isEmpty)
    }

    @Test("extra_auth_params may not replace what Gatehouse sends itself")
    func reservedParameters() {
        let yaml = minimalYAML.replacingOccurrences(
            of: "  client_id: spa-bff",
            with: "  client_id: spa-bff\n  extra_auth_params: {code_challenge_method: plain, prompt: consent}"
        )
        #expect(keyPaths(yaml) == ["oidc.extra_auth_params.code_challenge_method"])
    }

    @Test("oidc.par is auto unless set; only auto, required and off are accepted")
    func pushedAuthorizationMode() throws {
        #expect(try ConfigurationLoader(environment: [:]).load(yaml: minimalYAML).oidc.pushedAuthorization == .auto)
        for mode in PushedAuthorizationMode.allCases {
            let yaml = minimalYAML.replacingOccurrences(of: "  client_id: spa-bff", with: "  client_id: spa-bff\n  par: \(mode.rawValue)")
            #expect(try ConfigurationLoader(environment: [:]).load(yaml: yaml).oidc.pushedAuthorization == mode)
        }
        let bad = minimalYAML.replacingOccurrences(of: "  client_id: spa-bff", with: "  client_id: spa-bff\n  par: sometimes")
        #expect(keyPaths(bad) == ["oidc.par"])
        #expect(problems(bad).first?.description.contains("auto, required, off") == true)
    }

    @Test("oidc.dpop is off unless set true; it takes a boolean only")
    func dpopFlag() throws {
        #expect(try ConfigurationLoader(environment: [:]).load(yaml: minimalYAML).oidc.dpop == false)
        let on = minimalYAML.replacingOccurrences(of: "  client_id: spa-bff", with: "  client_id: spa-bff\n  dpop: true")
        #expect(try ConfigurationLoader(environment: [:]).load(yaml: on).oidc.dpop)
        #expect(try ConfigurationLoader(environment: ["GATEHOUSE_OIDC_DPOP": "true"]).load(yaml: minimalYAML).oidc.dpop)
        #expect(keyPaths(minimalYAML.replacingOccurrences(of: "  client_id: spa-bff", with: "  client_id: spa-bff\n  dpop: sometimes")) == ["oidc.dpop"])
    }
}

import Foundation
import GatehouseServer

/// A scratch directory for config files and `*_file` secrets, removed by `cleanUp()`.
struct ConfigurationScratch {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory
            .appending(path: "gatehouse-config-tests-\(UUID().uuidString)", directoryHint: .isDirectory)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// Writes `contents` to `name` in the scratch directory and returns its path.
    @discardableResult
    func write(_ name: String, _ contents: String) throws -> String {
        let url = directory.appending(path: name)
        try Data(contents.utf8).write(to: url)
        return url.path
    }

    func cleanUp() {
        try? FileManager.default.removeItem(at: directory)
    }
}

/// Values that look real, so tests can assert they never leak.
enum Secrets {
    static let clientSecret = "Sup3r-S3cret-Client-Value-91f2"
    static let redisPassword = "r3dis-P4ssw0rd-77aa"
    static let keyOne: [UInt8] = (0..<32).map { UInt8($0 * 7 % 256) }
    static let keyTwo: [UInt8] = (0..<32).map { UInt8(255 - $0) }
    static var keyOneBase64: String { Data(keyOne).base64EncodedString() }
    static var keyTwoBase64: String { Data(keyTwo).base64EncodedString() }
    /// 31 bytes: valid base64, wrong length.
    static let shortKeyBase64 = Data((0..<31).map { UInt8($0 + 100) }).base64EncodedString()

    static var all: [String] {
        [clientSecret, redisPassword, keyOneBase64, keyTwoBase64, shortKeyBase64]
    }
}

/// The PRODUCT.md example, with real-looking secrets.
let productExampleYAML = """
    listen: 0.0.0.0:8080
    admin_listen: 127.0.0.1:9091        # /healthz /readyz /metrics
    public_url: https://app.example.com # external origin of the SPA
    static_dir: Public
    oidc:
      issuer: https://idp.example.com
      client_id: spa-bff
      client_secret: "\(Secrets.clientSecret)"
      client_auth: client_secret_basic
      private_key_file: /run/secrets/gatehouse-client-key.pem
      private_key_id: key-1
      scopes: [openid, profile, email, offline_access]
      extra_auth_params: {}
    session:
      store: redis://gatehouse:\(Secrets.redisPassword)@127.0.0.1:6379/0
      cookie_name: __Host-Http-gatehouse
      same_site: strict
      idle_timeout: 30m
      absolute_timeout: 12h
      refresh_before_expiry: 60s
      encryption_keys: ["\(Secrets.keyOneBase64)", "\(Secrets.keyTwoBase64)"]
    trusted_proxies: []
    log:
      level: info
      format: json
    csrf:
      header: X-CSRF
    routes:
      - path: /api/
        upstream: http://127.0.0.1:9000/
        token: user
        methods: [GET, POST, PUT, PATCH, DELETE]
        strip_prefix: false
        timeout: 30s
        websocket: false
    """

/// The least a valid file needs.
let minimalYAML = """
    public_url: https://app.example.com
    oidc:
      issuer: https://idp.example.com
      client_id: spa-bff
      client_secret: "\(Secrets.clientSecret)"
    session:
      store: memory
      encryption_keys: ["\(Secrets.keyOneBase64)"]
    """

/// Loads `yaml` with `environment`, returning the problems (empty on success).
func problems(_ yaml: String, environment: [String: String] = [:]) -> [ConfigProblem] {
    do {
        _ = try ConfigurationLoader(environment: environment).load(yaml: yaml)
        return []
    } catch {
        return error.problems
    }
}

/// The key paths of the problems, in order.
func keyPaths(_ yaml: String, environment: [String: String] = [:]) -> [String] {
    problems(yaml, environment: environment).map(\.keyPath)
}

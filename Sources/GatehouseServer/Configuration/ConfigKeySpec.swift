/// One key the contract knows, and what shape its value has.
///
/// The list of these in ``root`` is the single source for three things: which keys are
/// unknown, which environment variables are read (mapped from key paths, never back,
/// because key names themselves contain `_`), and which values are secrets.
struct ConfigKeySpec: Sendable {
    indirect enum Kind: Sendable {
        /// One string-like value.
        case scalar
        /// A list of values; comma-separated in the environment.
        case list
        /// A nested group of known keys.
        case section([ConfigKeySpec])
        /// Free-form string keys and values (`extra_auth_params`); YAML/JSON text in the environment.
        case dictionary
        /// A list of mappings of known keys (`routes`); YAML/JSON text in the environment.
        case table([ConfigKeySpec])
    }

    var name: String
    var kind: Kind
    /// Whether the value is a secret: read as one from the environment, never echoed in problems.
    var isSecret: Bool = false

    static func scalar(_ name: String, secret: Bool = false) -> Self {
        Self(name: name, kind: .scalar, isSecret: secret)
    }

    static func list(_ name: String, secret: Bool = false) -> Self {
        Self(name: name, kind: .list, isSecret: secret)
    }

    /// The contract's keys, in the order of PRODUCT.md.
    static let root: [ConfigKeySpec] = [
        .scalar("listen"),
        .scalar("admin_listen"),
        ConfigKeySpec(
            name: "limits",
            kind: .section([
                .scalar("header_read_timeout"),
                .scalar("keep_alive_timeout"),
                .scalar("body_read_timeout"),
                .scalar("max_connections"),
                .scalar("max_header_count"),
            ])
        ),
        .scalar("public_url"),
        .scalar("static_dir"),
        ConfigKeySpec(
            name: "oidc",
            kind: .section([
                .scalar("issuer"),
                .scalar("client_id"),
                .scalar("client_secret", secret: true),
                .scalar("client_secret_file"),
                .scalar("client_auth"),
                .scalar("private_key_file"),
                .scalar("private_key_id"),
                .list("scopes"),
                ConfigKeySpec(name: "extra_auth_params", kind: .dictionary),
            ])
        ),
        ConfigKeySpec(
            name: "session",
            kind: .section([
                .scalar("store", secret: true),
                .scalar("store_file"),
                .scalar("max_per_user"),
                .scalar("cookie_name"),
                .scalar("same_site"),
                .scalar("idle_timeout"),
                .scalar("absolute_timeout"),
                .scalar("refresh_before_expiry"),
                .list("encryption_keys", secret: true),
                .scalar("encryption_keys_file"),
            ])
        ),
        .list("trusted_proxies"),
        ConfigKeySpec(name: "log", kind: .section([.scalar("level"), .scalar("format")])),
        ConfigKeySpec(name: "csrf", kind: .section([.scalar("header")])),
        ConfigKeySpec(
            name: "routes",
            kind: .table([
                .scalar("path"),
                .scalar("upstream"),
                .scalar("token"),
                .list("methods"),
                .scalar("strip_prefix"),
                .scalar("timeout"),
                .scalar("websocket"),
            ])
        ),
    ]

    /// The environment variable for a key path: `GATEHOUSE_` + components upper-cased, joined by `_`.
    static func environmentName(for components: [String]) -> String {
        (["GATEHOUSE"] + components.map { $0.uppercased() }).joined(separator: "_")
    }

    /// Every environment variable the loader reads, with its key path; for docs and tests.
    static var environmentNames: [(keyPath: String, name: String)] {
        func walk(_ specs: [ConfigKeySpec], _ prefix: [String]) -> [(keyPath: String, name: String)] {
            specs.flatMap { spec -> [(keyPath: String, name: String)] in
                let components = prefix + [spec.name]
                if case .section(let children) = spec.kind { return walk(children, components) }
                return [(keyPath: components.joined(separator: "."), name: environmentName(for: components))]
            }
        }
        return walk(root, [])
    }
}

extension ConfigKeySpec {
    /// Key paths (as components) whose values are secrets.
    static var secretKeyPaths: [[String]] {
        func walk(_ specs: [ConfigKeySpec], _ prefix: [String]) -> [[String]] {
            specs.flatMap { spec -> [[String]] in
                let components = prefix + [spec.name]
                if case .section(let children) = spec.kind { return walk(children, components) }
                return spec.isSecret ? [components] : []
            }
        }
        return walk(root, [])
    }
}

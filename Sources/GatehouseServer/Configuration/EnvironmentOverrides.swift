import Configuration

/// Lays `GATEHOUSE_*` environment variables over the YAML tree, one known key at a time.
///
/// Lookups go through swift-configuration's `EnvironmentVariablesProvider`: its key
/// encoding (components upper-cased, joined by `_`) is the contract's naming, its list
/// decoding splits on commas and trims, and values of secret keys are marked secret so
/// an access reporter (e.g. `CONFIG_ACCESS_LOG_FILE`) logs them redacted. Lookups start
/// from the contract's key paths: unknown `GATEHOUSE_*` variables are not errors, because
/// Kubernetes injects `GATEHOUSE_SERVICE_HOST`, `GATEHOUSE_PORT`, … for a Service named
/// `gatehouse`. Empty variables count as unset, as compose files often pass `X=` for "none".
struct EnvironmentOverrides {
    private let reader: ConfigReader

    init(environment: [String: String]) {
        let secretNames = Set(
            ConfigKeySpec.secretKeyPaths.map { ConfigKeySpec.environmentName(for: $0) }
        )
        let provider = EnvironmentVariablesProvider(
            environmentVariables: environment,
            secretsSpecifier: .specific(secretNames)
        )
        reader = ConfigReader(provider: provider)
    }

    /// Applies every override to `root`; text that is not YAML (for `routes` and
    /// `oidc.extra_auth_params`) becomes a problem.
    func apply(to root: inout ConfigNode, problems: inout [ConfigProblem]) {
        apply(ConfigKeySpec.root, to: &root, prefix: [], problems: &problems)
    }

    private func apply(
        _ specs: [ConfigKeySpec],
        to node: inout ConfigNode,
        prefix: [String],
        problems: inout [ConfigProblem]
    ) {
        // A section given as a string or list is reported by the decoder; overrides
        // cannot be merged into it.
        if node.isNull { node = .emptyMapping }
        guard case .mapping = node.content else { return }
        for spec in specs {
            let components = prefix + [spec.name]
            let key = ConfigKey(["gatehouse"] + components)
            let name = ConfigKeySpec.environmentName(for: components)
            switch spec.kind {
            case .section(let children):
                var child = node[spec.name] ?? .emptyMapping
                apply(children, to: &child, prefix: components, problems: &problems)
                node.set(spec.name, to: child)
            case .scalar:
                if let value = reader.string(forKey: key, isSecret: spec.isSecret), !value.isEmpty {
                    node.set(spec.name, to: ConfigNode(.scalar(value), environmentName: name))
                }
            case .list:
                if let values = reader.stringArray(forKey: key, isSecret: spec.isSecret),
                    values != [""]
                {
                    // A trailing comma is a typing habit, not an empty entry.
                    let items = values.filter { !$0.isEmpty }.map { ConfigNode(.scalar($0)) }
                    node.set(spec.name, to: ConfigNode(.list(items), environmentName: name))
                }
            case .dictionary, .table:
                guard let text = reader.string(forKey: key, isSecret: spec.isSecret), !text.isEmpty else {
                    continue
                }
                switch ConfigNode.parseYAML(text) {
                case .success(var parsed):
                    parsed.environmentName = name
                    node.set(spec.name, to: parsed)
                case .failure(let error):
                    problems.append(
                        ConfigProblem(
                            keyPath: components.joined(separator: "."),
                            message: "\(name) must be YAML or JSON: \(error.message)"
                        )
                    )
                }
            }
        }
    }
}

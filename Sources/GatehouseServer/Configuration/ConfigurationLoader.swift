package import Foundation

/// Loads and validates the configuration: one YAML file, `GATEHOUSE_*` environment
/// overrides, `*_file` secrets and every rule of the contract. All problems are
/// collected; nothing touches the network.
///
/// Environment: every key of the file has a variable, `GATEHOUSE_` + its key path
/// upper-cased with `_` between levels (`session.idle_timeout` →
/// `GATEHOUSE_SESSION_IDLE_TIMEOUT`). Lists (`oidc.scopes`, `session.encryption_keys`,
/// `trusted_proxies`) are comma-separated; `GATEHOUSE_ROUTES` and
/// `GATEHOUSE_OIDC_EXTRA_AUTH_PARAMS` hold YAML or JSON text (`[{"path": "/api/", …}]`) that
/// replaces the file's value whole. Empty variables count as unset.
///
/// Secrets: `oidc.client_secret_file`, `session.store_file` and `session.encryption_keys_file`
/// name files whose content is the value (trailing line breaks removed; for keys, one per
/// line). Giving a key and its `_file` twin is a problem.
package struct ConfigurationLoader: Sendable {
    /// The environment variables to read; injected so tests need not touch the process's.
    package var environment: [String: String]

    /// The file used when neither `--config` nor `GATEHOUSE_CONFIG` names one.
    package static let defaultFilePath = "gatehouse.yaml"

    /// Creates a loader reading `environment` (by default the process's).
    package init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    /// The file to load: `argument` (`--config FILE`), else `$GATEHOUSE_CONFIG`, else `gatehouse.yaml`.
    package func filePath(argument: String?) -> String {
        if let argument, !argument.isEmpty { return argument }
        if let fromEnvironment = environment["GATEHOUSE_CONFIG"], !fromEnvironment.isEmpty { return fromEnvironment }
        return Self.defaultFilePath
    }

    /// Loads the YAML file at `path` with overrides applied, or throws every problem found.
    package func load(fileAt path: String) throws(ConfigurationError) -> GatehouseConfiguration {
        switch SecretFileReader().read(path) {
        case .success(let text):
            return try load(yaml: text, source: path)
        case .failure(let failure):
            throw ConfigurationError(problems: [ConfigProblem(keyPath: "", message: "cannot read the configuration file: \(failure.message)")])
        }
    }

    /// Loads configuration from YAML text with overrides applied, or throws every problem found.
    /// `source` names the text in file-level problems.
    package func load(yaml text: String, source: String = "configuration") throws(ConfigurationError) -> GatehouseConfiguration {
        let root: ConfigNode
        switch ConfigNode.parseYAML(text) {
        case .success(let parsed):
            root = parsed
        case .failure(let error):
            throw ConfigurationError(problems: [ConfigProblem(keyPath: "", message: "\(source): \(error.message)")])
        }
        if case .mapping = root.content {
        } else if !root.isNull {
            let message = "\(source): expected a mapping of keys at the top level, found \(root.kindName)"
            throw ConfigurationError(problems: [ConfigProblem(keyPath: "", message: message)])
        }
        let decoder = ConfigDecoder(environment: environment)
        let configuration = GatehouseConfiguration(decoder.root(root))
        guard decoder.problems.isEmpty else { throw ConfigurationError(problems: decoder.problems) }
        return configuration
    }

    /// Every environment variable the loader reads, with the key path it overrides: the
    /// lookups of reading an empty file.
    package static var environmentVariables: [(keyPath: String, name: String)] {
        let decoder = ConfigDecoder(environment: [:])
        _ = GatehouseConfiguration(decoder.root(ConfigNode(.null)))
        return decoder.environmentVariables
    }
}

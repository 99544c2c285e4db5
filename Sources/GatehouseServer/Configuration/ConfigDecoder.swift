import Configuration

/// Reads the YAML tree and the `GATEHOUSE_*` environment into the model, collecting a
/// problem for everything wrong so one run reports every mistake.
///
/// The keys the section decoders read are the contract: reading a key is what makes it
/// known (anything else in the file is an "unknown key", with the nearest read key as
/// suggestion) and what gives it an environment variable, looked up by key path at the
/// moment the key is read. So a new key is a property of the model and one read in its
/// section's decoder, nothing else.
///
/// Environment lookups go through swift-configuration's `EnvironmentVariablesProvider`:
/// its key encoding (components upper-cased, joined by `_`) is the contract's naming, its
/// list decoding splits on commas and trims, and secret keys are read as secrets so an
/// access reporter (e.g. `CONFIG_ACCESS_LOG_FILE`) logs them redacted. Lookups start from
/// key paths, never from variable names: Kubernetes injects `GATEHOUSE_SERVICE_HOST`,
/// `GATEHOUSE_PORT`, … for a Service named `gatehouse`, and those are not errors.
final class ConfigDecoder {
    let files: SecretFileReader
    private let environment: ConfigReader
    /// Every variable looked up, with the key path it overrides, in reading order.
    private(set) var environmentVariables: [(keyPath: String, name: String)] = []
    private var environmentProblems: [ConfigProblem] = []
    private var valueProblems: [ConfigProblem] = []
    private var sections: [ConfigSection] = []

    init(environment: [String: String], files: SecretFileReader = SecretFileReader()) {
        self.environment = ConfigReader(provider: EnvironmentVariablesProvider(environmentVariables: environment))
        self.files = files
    }

    /// Environment text that is not YAML, then unknown keys in file order, then every
    /// other problem in the order the contract lists the keys.
    var problems: [ConfigProblem] {
        let unknown = sections.flatMap(\.unknownKeys).sorted { $0.order.lexicographicallyPrecedes($1.order) }
        return environmentProblems + unknown.map(\.problem) + valueProblems
    }

    /// Records a problem; says which environment variable the value came from, if any.
    func report(_ keyPath: String, _ message: String, node: ConfigNode? = nil) {
        let origin = node?.environmentName.map { " (from \($0))" } ?? ""
        valueProblems.append(ConfigProblem(keyPath: keyPath, message: message + origin))
    }

    /// Starts reading the file's top level.
    func root(_ node: ConfigNode) -> ConfigSection {
        open(node, at: "", order: [], environmentPath: [])
    }

    /// Starts reading a mapping; its unknown keys are reported when ``problems`` is read.
    func open(_ node: ConfigNode, at path: String, order: [Int], environmentPath: [String]?) -> ConfigSection {
        let section = ConfigSection(decoder: self, node: node, path: path, order: order, environmentPath: environmentPath)
        sections.append(section)
        return section
    }

    /// The environment variable for a key path: `GATEHOUSE_` + components upper-cased, joined by `_`.
    static func environmentName(for components: [String]) -> String {
        (["GATEHOUSE"] + components.map { $0.uppercased() }).joined(separator: "_")
    }

    /// How a key's environment variable is read.
    enum EnvironmentShape {
        /// One value.
        case scalar
        /// A comma-separated list.
        case list
        /// YAML or JSON text that replaces the file's value whole (`routes`, `oidc.extra_auth_params`).
        case yaml
    }

    /// The value of the key's variable, or nil when it is unset or empty (compose files
    /// often pass `X=` for "none").
    func environmentValue(_ components: [String], shape: EnvironmentShape, isSecret: Bool) -> ConfigNode? {
        let name = Self.environmentName(for: components)
        let keyPath = components.joined(separator: ".")
        if !environmentVariables.contains(where: { $0.name == name }) { environmentVariables.append((keyPath, name)) }
        let key = ConfigKey(["gatehouse"] + components)
        if shape == .list {
            guard let values = environment.stringArray(forKey: key, isSecret: isSecret), values != [""] else { return nil }
            // A trailing comma is a typing habit, not an empty entry.
            return ConfigNode(.list(values.filter { !$0.isEmpty }.map { ConfigNode(.scalar($0)) }), environmentName: name)
        }
        guard let text = environment.string(forKey: key, isSecret: isSecret), !text.isEmpty else { return nil }
        guard shape == .yaml else { return ConfigNode(.scalar(text), environmentName: name) }
        switch ConfigNode.parseYAML(text) {
        case .success(var parsed):
            parsed.environmentName = name
            return parsed
        case .failure(let error):
            environmentProblems.append(ConfigProblem(keyPath: keyPath, message: "\(name) must be YAML or JSON: \(error.message)"))
            return nil
        }
    }
}

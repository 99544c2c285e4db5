import Yams

extension ConfigNode {
    /// Parses YAML text into a tree, or says what is wrong without quoting the text.
    ///
    /// Yams' own error description repeats the offending line, which may hold a secret;
    /// only the position and libyaml's problem statement are kept.
    static func parseYAML(_ text: String) -> Result<ConfigNode, YAMLSyntaxError> {
        do {
            guard let root = try Yams.Parser(yaml: text).singleRoot() else {
                return .success(ConfigNode(.null))
            }
            return convert(root)
        } catch let error as YamlError {
            return .failure(YAMLSyntaxError(error))
        } catch {
            return .failure(YAMLSyntaxError(message: "not valid YAML"))
        }
    }

    private static func convert(_ node: Yams.Node) -> Result<ConfigNode, YAMLSyntaxError> {
        switch node {
        case .scalar(let scalar):
            if node.null != nil { return .success(ConfigNode(.null)) }
            return .success(ConfigNode(.scalar(scalar.string)))
        case .sequence(let sequence):
            var items: [ConfigNode] = []
            for item in sequence {
                switch convert(item) {
                case .success(let converted): items.append(converted)
                case .failure(let error): return .failure(error)
                }
            }
            return .success(ConfigNode(.list(items)))
        case .mapping(let mapping):
            var entries: [(key: String, value: ConfigNode)] = []
            for (key, value) in mapping {
                guard case .scalar(let keyScalar) = key else {
                    return .failure(YAMLSyntaxError(message: "a mapping key must be a plain name", mark: key.mark))
                }
                switch convert(value) {
                case .success(let converted): entries.append((keyScalar.string, converted))
                case .failure(let error): return .failure(error)
                }
            }
            return .success(ConfigNode(.mapping(entries)))
        case .alias:
            return .failure(YAMLSyntaxError(message: "YAML aliases are not supported", mark: node.mark))
        }
    }
}

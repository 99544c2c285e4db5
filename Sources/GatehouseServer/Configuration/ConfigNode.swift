import Yams

/// A configuration value before it is read: the YAML file and YAML-valued environment
/// variables both produce this shape.
struct ConfigNode: Sendable {
    enum Content: Sendable {
        case scalar(String)
        case list([ConfigNode])
        /// Keys in file order, so problems come out in the order a reader sees them.
        case mapping([(key: String, value: ConfigNode)])
        /// `key:` with no value, or `~`/`null`: treated as not given.
        case null
    }

    var content: Content
    /// The environment variable the value came from; nil for the YAML file.
    var environmentName: String?

    init(_ content: Content, environmentName: String? = nil) {
        self.content = content
        self.environmentName = environmentName
    }

    var isNull: Bool {
        if case .null = content { return true }
        return false
    }

    /// What a type-mismatch message calls this value; never the value itself.
    var kindName: String {
        switch content {
        case .scalar: "a single value"
        case .list: "a list"
        case .mapping: "a mapping"
        case .null: "nothing"
        }
    }

    /// Parses YAML text into a tree, or says what is wrong without quoting the text:
    /// Yams' own error description repeats the offending line, which may hold a secret,
    /// so only the position and libyaml's problem statement are kept.
    static func parseYAML(_ text: String) -> Result<ConfigNode, YAMLSyntaxError> {
        do {
            guard let root = try Yams.Parser(yaml: text).singleRoot() else { return .success(ConfigNode(.null)) }
            return .success(try convert(root))
        } catch let error as YAMLSyntaxError {
            return .failure(error)
        } catch let error as YamlError {
            return .failure(YAMLSyntaxError(error))
        } catch {
            return .failure(YAMLSyntaxError("not valid YAML"))
        }
    }

    private static func convert(_ node: Yams.Node) throws -> ConfigNode {
        switch node {
        case .scalar(let scalar):
            return ConfigNode(node.null != nil ? .null : .scalar(scalar.string))
        case .sequence(let sequence):
            return ConfigNode(.list(try sequence.map(convert)))
        case .mapping(let mapping):
            return ConfigNode(.mapping(try mapping.map { key, value in
                guard case .scalar(let name) = key else { throw YAMLSyntaxError("a mapping key must be a plain name", at: key.mark) }
                return (name.string, try convert(value))
            }))
        case .alias:
            throw YAMLSyntaxError("YAML aliases are not supported", at: node.mark)
        }
    }
}

/// Why text is not YAML, with its position but without the text around it.
struct YAMLSyntaxError: Error {
    var message: String

    init(_ message: String, at mark: Yams.Mark? = nil) {
        self.message = mark.map { "\(message) (line \($0.line), column \($0.column))" } ?? message
    }

    init(_ error: YamlError) {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            self.init("not valid YAML: \(problem)", at: mark)
        case .duplicatedKeysInMapping(let duplicates, let context):
            self.init("duplicate key \(duplicates.joined(separator: ", ")) in one mapping", at: context.mark)
        case .reader(let problem, _, _, _):
            self.init("not readable as YAML: \(problem)")
        case .dataCouldNotBeDecoded:
            self.init("not UTF-8 text")
        default:
            self.init("not valid YAML")
        }
    }
}

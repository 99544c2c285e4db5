/// Reads typed values out of the merged tree and collects a problem for everything
/// wrong, so one run reports every mistake. Accessors return nil after reporting,
/// and callers carry on with the next key.
struct ConfigDecoder {
    private(set) var problems: [ConfigProblem] = []

    /// Sections given with the wrong shape: their keys' "required" problems would
    /// only repeat that one mistake, so they are not reported.
    private var brokenSections: Set<String> = []

    /// Records a problem; says which environment variable the value came from, if any.
    mutating func report(_ keyPath: String, _ message: String, node: ConfigNode? = nil) {
        var message = message
        if let name = node?.environmentName { message += " (from \(name))" }
        problems.append(ConfigProblem(keyPath: keyPath, message: message))
    }

    mutating func report(_ problems: [ConfigProblem]) {
        self.problems += problems
    }

    /// `parent.key`, or `key` at the top level.
    static func keyPath(_ parent: String, _ key: String) -> String {
        parent.isEmpty ? key : "\(parent).\(key)"
    }

    /// A section's mapping; absent or null sections read as empty.
    mutating func section(_ node: ConfigNode?, at keyPath: String) -> ConfigNode {
        guard let node, !node.isNull else { return .emptyMapping }
        guard case .mapping = node.content else {
            report(keyPath, "expected a mapping of keys, found \(node.kindName)", node: node)
            brokenSections.insert(keyPath)
            return .emptyMapping
        }
        return node
    }

    /// Reports a missing required key, with the environment variable that could give it.
    mutating func reportMissing(_ keyPath: String, _ message: String = "required") {
        let section = keyPath.split(separator: ".").dropLast().joined(separator: ".")
        guard !brokenSections.contains(section) else { return }
        if keyPath.contains("[") {
            report(keyPath, message)
        } else {
            let name = ConfigKeySpec.environmentName(for: keyPath.split(separator: ".").map(String.init))
            report(keyPath, "\(message) (or set \(name))")
        }
    }

    /// A single value as text; nil when absent, null, or of the wrong shape (reported).
    mutating func string(_ node: ConfigNode?, at keyPath: String) -> String? {
        guard let node, !node.isNull else { return nil }
        guard case .scalar(let value) = node.content else {
            report(keyPath, "expected a single value, found \(node.kindName)", node: node)
            return nil
        }
        return value
    }

    /// A required, non-empty single value.
    mutating func requiredString(_ node: ConfigNode?, at keyPath: String) -> String? {
        guard let node, !node.isNull else {
            reportMissing(keyPath)
            return nil
        }
        guard let value = string(node, at: keyPath) else { return nil }
        guard !value.isEmpty else {
            report(keyPath, "must not be empty", node: node)
            return nil
        }
        return value
    }

    /// A list of single values; nil when absent or null. Bad entries are reported as
    /// `key[index]` and left out.
    mutating func stringList(_ node: ConfigNode?, at keyPath: String) -> [String]? {
        guard let node, !node.isNull else { return nil }
        guard case .list(let items) = node.content else {
            report(keyPath, "expected a list, found \(node.kindName)", node: node)
            return nil
        }
        var values: [String] = []
        for (index, item) in items.enumerated() {
            guard case .scalar(let value) = item.content else {
                report("\(keyPath)[\(index)]", "expected a single value, found \(item.kindName)", node: node)
                continue
            }
            values.append(value)
        }
        return values
    }

    /// `true` or `false` (YAML's `yes`/`no`/`on`/`off` too); nil when absent or bad (reported).
    mutating func bool(_ node: ConfigNode?, at keyPath: String) -> Bool? {
        guard let text = string(node, at: keyPath) else { return nil }
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            report(keyPath, "expected true or false, found \"\(text)\"", node: node)
            return nil
        }
    }

    /// A positive duration such as `30s`, `15m`, `12h`, `500ms` or `1h30m`.
    mutating func duration(_ node: ConfigNode?, at keyPath: String) -> Duration? {
        guard let text = string(node, at: keyPath) else { return nil }
        guard let duration = Duration(configText: text) else {
            report(keyPath, "expected a duration such as 30s, 15m, 12h or 1h30m, found \"\(text)\"", node: node)
            return nil
        }
        guard duration > .zero else {
            report(keyPath, "must be longer than zero", node: node)
            return nil
        }
        return duration
    }

    /// A whole number of at least 1.
    mutating func positiveInteger(_ node: ConfigNode?, at keyPath: String) -> Int? {
        integer(node, at: keyPath, atLeast: 1)
    }

    /// A whole number of at least 0.
    mutating func nonNegativeInteger(_ node: ConfigNode?, at keyPath: String) -> Int? {
        integer(node, at: keyPath, atLeast: 0)
    }

    private mutating func integer(_ node: ConfigNode?, at keyPath: String, atLeast minimum: Int) -> Int? {
        guard let text = string(node, at: keyPath) else { return nil }
        guard let value = Int(text), value >= minimum else {
            report(keyPath, "expected a whole number of at least \(minimum), found \"\(text)\"", node: node)
            return nil
        }
        return value
    }

    /// One of a closed set of names; the message lists the allowed ones.
    mutating func choice<Value: CaseIterable & RawRepresentable<String>>(
        _ type: Value.Type,
        _ node: ConfigNode?,
        at keyPath: String
    ) -> Value? {
        guard let text = string(node, at: keyPath) else { return nil }
        guard let value = Value(rawValue: text) else {
            let allowed = Value.allCases.map(\.rawValue).joined(separator: ", ")
            report(keyPath, "\"\(text)\" is not one of \(allowed)", node: node)
            return nil
        }
        return value
    }
}

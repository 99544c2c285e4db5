/// One mapping being read (the root, a section such as `oidc`, or a route): typed
/// accessors by key name that report what is wrong and return nil, so decoders carry on
/// with the next key. Absent and null keys read as nil without a problem: the model's
/// default applies.
final class ConfigSection {
    let decoder: ConfigDecoder
    /// The dotted key path, empty for the root.
    let path: String
    private let node: ConfigNode
    /// Where the mapping is in the file, entry index by entry index, to report unknown keys in file order.
    private let order: [Int]
    /// The key path for environment lookups; nil inside lists and in sections of the wrong shape.
    private let environmentPath: [String]?
    /// Given as something other than a mapping: its keys' "required" problems would only repeat that.
    private(set) var isBroken = false
    /// The keys read, in reading order: the known keys, and the suggestions for unknown ones.
    private var readKeys: [String] = []
    private var invalidKeys: Set<String> = []

    init(decoder: ConfigDecoder, node: ConfigNode, path: String, order: [Int], environmentPath: [String]?) {
        self.decoder = decoder
        self.path = path
        self.order = order
        switch node.content {
        case .mapping, .null:
            (self.node, self.environmentPath) = (node, environmentPath)
        default:
            // Environment values cannot be merged into a section given as a value or list.
            decoder.report(path, "expected a mapping of keys, found \(node.kindName)", node: node)
            (self.node, self.environmentPath, isBroken) = (ConfigNode(.null), nil, true)
        }
    }

    /// `path.key`, or `key` at the root.
    func keyPath(_ key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }

    /// Records a problem with `key` (or `key[index]`); the key no longer counts as valid.
    func report(_ key: String, _ message: String, node: ConfigNode? = nil) {
        invalidKeys.insert(key)
        decoder.report(keyPath(key), message, node: node)
    }

    /// Whether every one of `keys` (or, with none, every key) is absent or was read without a problem.
    func isValid(_ keys: String...) -> Bool {
        keys.isEmpty ? invalidKeys.isEmpty : invalidKeys.isDisjoint(with: keys)
    }

    /// Reports a missing required key, with the environment variable that could give it.
    func reportMissing(_ key: String, _ message: String = "required") {
        guard !isBroken else { return }
        guard let environmentPath else { return report(key, message) }
        report(key, "\(message) (or set \(ConfigDecoder.environmentName(for: environmentPath + [key])))")
    }

    private var entries: [(key: String, value: ConfigNode)] {
        if case .mapping(let entries) = node.content { return entries }
        return []
    }

    /// The value for `key`: its environment variable when set, else the file's; nil when neither gives one.
    func node(_ key: String, shape: ConfigDecoder.EnvironmentShape = .scalar, isSecret: Bool = false) -> ConfigNode? {
        if !readKeys.contains(key) { readKeys.append(key) }
        if let environmentPath, let value = decoder.environmentValue(environmentPath + [key], shape: shape, isSecret: isSecret) {
            return value.isNull ? nil : value
        }
        return fileValue(key)
    }

    private func fileValue(_ key: String) -> ConfigNode? {
        guard let value = entries.last(where: { $0.key == key })?.value, !value.isNull else { return nil }
        return value
    }

    /// A nested section; absent or null reads as empty. Its keys have variables, not the section.
    func section(_ key: String) -> ConfigSection {
        if !readKeys.contains(key) { readKeys.append(key) }
        let index = entries.firstIndex { $0.key == key } ?? entries.count
        return decoder.open(fileValue(key) ?? ConfigNode(.null), at: keyPath(key), order: order + [index], environmentPath: environmentPath.map { $0 + [key] })
    }

    /// Reads a list of mappings (`routes`) in order, each as a section, with the list's node for problems.
    func rows(_ key: String, kind: String, rowKind: String, _ read: (ConfigSection, ConfigNode) -> Void) {
        guard let list = node(key, shape: .yaml) else { return }
        guard case .list(let items) = list.content else {
            return report(key, "expected a list of \(kind), found \(list.kindName)", node: list)
        }
        let index = entries.firstIndex { $0.key == key } ?? entries.count
        for (row, item) in items.enumerated() {
            guard case .mapping = item.content else {
                report("\(key)[\(row)]", "expected a mapping with \(rowKind), found \(item.kindName)", node: list)
                continue
            }
            read(decoder.open(item, at: "\(keyPath(key))[\(row)]", order: order + [index, row], environmentPath: nil), list)
        }
    }

    /// The keys given but never read, with the nearest read key as suggestion.
    var unknownKeys: [(order: [Int], problem: ConfigProblem)] {
        entries.enumerated().compactMap { index, entry in
            guard !readKeys.contains(entry.key) else { return nil }
            var message = "unknown key"
            if let suggestion = Self.closestKey(to: entry.key, among: readKeys) { message += " (did you mean \(suggestion)?)" }
            return (order + [index], ConfigProblem(keyPath: keyPath(entry.key), message: message))
        }
    }

    /// The known key a typo most likely meant: same letters without `_`/`-`/case, or at most two edits away.
    static func closestKey(to key: String, among candidates: [String]) -> String? {
        func normalized(_ name: String) -> [Character] { Array(name.lowercased().filter { $0 != "_" && $0 != "-" }) }
        let typed = normalized(key)
        if let exact = candidates.first(where: { normalized($0) == typed }) { return exact }
        let scored = candidates.map { ($0, editDistance(typed, normalized($0))) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= 2 else { return nil }
        return best.0
    }

    private static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        var previous = Array(0...b.count)
        for i in a.indices {
            var current = [i + 1]
            for j in b.indices {
                current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (a[i] == b[j] ? 0 : 1)))
            }
            previous = current
        }
        return previous[b.count]
    }
}

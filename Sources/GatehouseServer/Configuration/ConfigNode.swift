/// A configuration value before it is decoded: the YAML file and the environment both
/// produce this shape, so decoding and validation run once over the merged tree.
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

    /// An empty mapping, for sections the file leaves out.
    static let emptyMapping = ConfigNode(.mapping([]))

    var isNull: Bool {
        if case .null = content { return true }
        return false
    }

    /// The entry for `key` when this is a mapping.
    subscript(key: String) -> ConfigNode? {
        guard case .mapping(let entries) = content else { return nil }
        return entries.last { $0.key == key }?.value
    }

    /// Replaces or adds the entry for `key`; does nothing unless this is a mapping.
    mutating func set(_ key: String, to value: ConfigNode) {
        guard case .mapping(var entries) = content else { return }
        if let index = entries.firstIndex(where: { $0.key == key }) {
            entries[index].value = value
        } else {
            entries.append((key, value))
        }
        content = .mapping(entries)
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
}

extension Optional where Wrapped == ConfigNode {
    /// Not given at all, or given as null: the key's default applies.
    var isAbsent: Bool {
        self?.isNull ?? true
    }
}

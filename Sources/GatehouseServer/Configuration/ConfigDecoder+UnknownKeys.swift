extension ConfigDecoder {
    /// Reports every key the contract does not know, at any depth, with its key path
    /// and the nearest known name. Values of wrong shape are left to the typed decoding.
    mutating func reportUnknownKeys(in node: ConfigNode, specs: [ConfigKeySpec], keyPath: String) {
        guard case .mapping(let entries) = node.content else { return }
        for (key, value) in entries {
            let childPath = Self.keyPath(keyPath, key)
            guard let spec = specs.first(where: { $0.name == key }) else {
                var message = "unknown key"
                if let suggestion = Self.closestKey(to: key, among: specs.map(\.name)) {
                    message += " (did you mean \(suggestion)?)"
                }
                report(childPath, message, node: value)
                continue
            }
            switch spec.kind {
            case .section(let children):
                reportUnknownKeys(in: value, specs: children, keyPath: childPath)
            case .table(let fields):
                guard case .list(let rows) = value.content else { continue }
                for (index, row) in rows.enumerated() {
                    reportUnknownKeys(in: row, specs: fields, keyPath: "\(childPath)[\(index)]")
                }
            case .scalar, .list, .dictionary:
                continue
            }
        }
    }

    /// The known key a typo most likely meant: same letters without `_`/`-`/case, or
    /// at most two edits away.
    static func closestKey(to key: String, among candidates: [String]) -> String? {
        func normalized(_ name: String) -> String {
            name.lowercased().filter { $0 != "_" && $0 != "-" }
        }
        if let exact = candidates.first(where: { normalized($0) == normalized(key) }) {
            return exact
        }
        let scored = candidates.map { ($0, editDistance(normalized(key), normalized($0))) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= 2 else { return nil }
        return best.0
    }

    private static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}

import Foundation

extension ConfigSection {
    /// A single value as text, with its node for problems; nil when absent or not a single value (reported).
    func scalar(_ key: String, isSecret: Bool = false) -> (text: String, node: ConfigNode)? {
        guard let node = node(key, isSecret: isSecret) else { return nil }
        guard case .scalar(let text) = node.content else {
            report(key, "expected a single value, found \(node.kindName)", node: node)
            return nil
        }
        return (text, node)
    }

    func string(_ key: String) -> String? {
        scalar(key)?.text
    }

    /// A required, non-empty single value.
    func requiredString(_ key: String) -> String? {
        guard node(key) != nil else {
            reportMissing(key)
            return nil
        }
        guard let (text, node) = scalar(key) else { return nil }
        guard !text.isEmpty else {
            report(key, "must not be empty", node: node)
            return nil
        }
        return text
    }

    /// A list of single values; bad entries are reported as `key[index]` and left out.
    func stringList(_ key: String, isSecret: Bool = false) -> (values: [String], node: ConfigNode)? {
        guard let node = node(key, shape: .list, isSecret: isSecret) else { return nil }
        guard case .list(let items) = node.content else {
            report(key, "expected a list, found \(node.kindName)", node: node)
            return nil
        }
        let values = items.enumerated().compactMap { index, item -> String? in
            guard case .scalar(let value) = item.content else {
                report("\(key)[\(index)]", "expected a single value, found \(item.kindName)", node: node)
                return nil
            }
            return value
        }
        return (values, node)
    }

    /// `true` or `false` (YAML's `yes`/`no`/`on`/`off` too).
    func bool(_ key: String) -> Bool? {
        guard let (text, node) = scalar(key) else { return nil }
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            report(key, "expected true or false, found \"\(text)\"", node: node)
            return nil
        }
    }

    /// A positive duration such as `30s`, `15m`, `12h`, `500ms` or `1h30m`.
    func duration(_ key: String) -> Duration? {
        guard let (text, node) = scalar(key) else { return nil }
        guard let duration = Duration(configText: text) else {
            report(key, "expected a duration such as 30s, 15m, 12h or 1h30m, found \"\(text)\"", node: node)
            return nil
        }
        guard duration > .zero else {
            report(key, "must be longer than zero", node: node)
            return nil
        }
        return duration
    }

    /// A whole number of at least `minimum`.
    func integer(_ key: String, atLeast minimum: Int) -> Int? {
        guard let (text, node) = scalar(key) else { return nil }
        guard let value = Int(text), value >= minimum else {
            report(key, "expected a whole number of at least \(minimum), found \"\(text)\"", node: node)
            return nil
        }
        return value
    }

    /// One of a closed set of names: a case of the enum the runtime uses. The message lists the allowed ones.
    func choice<Value: CaseIterable & RawRepresentable<String>>(_ key: String) -> Value? {
        choice(key, among: Array(Value.allCases))
    }

    func choice<Value: RawRepresentable<String>>(_ key: String, among allowed: [Value]) -> Value? {
        guard let (text, node) = scalar(key) else { return nil }
        guard let value = allowed.first(where: { $0.rawValue == text }) else {
            report(key, "\"\(text)\" is not one of \(allowed.map(\.rawValue).joined(separator: ", "))", node: node)
            return nil
        }
        return value
    }

    /// `host:port`.
    func listenAddress(_ key: String) -> ListenAddress? {
        guard let (text, node) = scalar(key) else { return nil }
        guard let address = ListenAddress(text) else {
            report(key, "expected host:port such as 0.0.0.0:8080, [::]:8080 or localhost:8080, found \"\(text)\"", node: node)
            return nil
        }
        return address
    }

    /// CIDRs or bare addresses (`trusted_proxies`).
    func cidrList(_ key: String) -> [CIDR]? {
        guard let (texts, node) = stringList(key) else { return nil }
        return texts.enumerated().compactMap { index, text in
            guard let block = CIDR(text.trimmingCharacters(in: .whitespaces)) else {
                report("\(key)[\(index)]", "expected a CIDR such as 10.0.0.0/8 or 2001:db8::/32, found \"\(text)\"", node: node)
                return nil
            }
            return block
        }
    }

    /// A required absolute http(s) URL with a host and no user info that passes `check`;
    /// the message names the first thing wrong. User info is refused because
    /// URLs end up in logs, and text with `@` is not echoed because it may hold a password.
    func httpURL(_ key: String, check: (URLComponents) -> String?) -> (text: String, components: URLComponents)? {
        guard let text = requiredString(key), let node = node(key) else { return nil }
        let shown = text.contains("@") ? "" : ", found \"\(text)\""
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            report(key, "expected an absolute http or https URL\(shown)", node: node)
            return nil
        }
        let problem: String? =
            if scheme != "http" && scheme != "https" { "scheme must be http or https, not \(scheme)" }
            else if components.host?.isEmpty ?? true { "expected an absolute http or https URL with a host\(shown)" }
            else if components.percentEncodedUser != nil || components.percentEncodedPassword != nil {
                "must not contain a user name or password"
            } else { check(components) }
        if let problem {
            report(key, problem, node: node)
            return nil
        }
        return (text, components)
    }

    /// Whether `host` is `localhost`, a `.localhost` name or a loopback address.
    static func isLoopback(host: String) -> Bool {
        var host = host.lowercased()
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return host == "localhost" || host.hasSuffix(".localhost") || (IPAddress(host)?.isLoopback ?? false)
    }
}

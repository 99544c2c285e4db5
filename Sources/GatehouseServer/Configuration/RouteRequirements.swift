/// A route's `require` rules: every one must hold on every call, else the call is refused.
package struct RouteRequirements: Sendable, Hashable {
    /// Claim name → accepted values (`require.claims`); a list claim passes when it holds any of them.
    package var claims: [String: [String]] = [:]
    /// Scopes the user's access token must have been granted, all of them (`require.scopes`).
    package var scopes: [String] = []
    /// Accepted `acr` values (`require.acr`); failing it asks for a step-up login.
    package var acr: [String] = []
    /// How recent `auth_time` must be (`require.max_age`); failing it asks for a step-up login.
    package var maxAge: Duration?
}

extension RouteRequirements {
    /// Reads `require`: each rule with at least one value, and at least one rule.
    init(_ section: ConfigSection) {
        self.init()
        if let node = section.node("claims", shape: .yaml) {
            if case .mapping(let entries) = node.content, !entries.isEmpty {
                for (name, value) in entries {
                    let accepted: [String] =
                        switch value.content {
                        case .scalar(let text): [text]
                        case .list(let items): items.compactMap { if case .scalar(let text) = $0.content { text } else { nil } }
                        default: []
                        }
                    if accepted.isEmpty { section.report("claims.\(name)", "must list at least one accepted value", node: value) }
                    claims[name] = accepted
                }
            } else {
                section.report("claims", "expected a mapping of claim names to accepted values, such as groups: [admins]", node: node)
            }
        }
        scopes = Self.values(section, "scopes", "scope")
        acr = Self.values(section, "acr", "acr value")
        maxAge = section.duration("max_age")
        if !section.isBroken, section.isValid(), claims.isEmpty, scopes.isEmpty, acr.isEmpty, maxAge == nil {
            section.decoder.report(section.path, "names no rule: give claims, scopes, acr or max_age", node: nil)
        }
    }

    private static func values(_ section: ConfigSection, _ key: String, _ kind: String) -> [String] {
        guard let (values, node) = section.stringList(key) else { return [] }
        if values.isEmpty || values.contains(where: \.isEmpty) { section.report(key, "must list at least one \(kind), none empty", node: node) }
        return values
    }
}

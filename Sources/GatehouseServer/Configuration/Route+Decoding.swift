extension Route {
    /// Decodes `routes`, reporting every problem; nil when any was found.
    static func decodeList(_ node: ConfigNode?, using decoder: inout ConfigDecoder) -> [Self]? {
        guard let node, !node.isNull else { return [] }
        guard case .list(let rows) = node.content else {
            decoder.report("routes", "expected a list of routes, found \(node.kindName)", node: node)
            return nil
        }
        var routes: [Route] = []
        var valid = true
        for (index, row) in rows.enumerated() {
            let keyPath = "routes[\(index)]"
            guard case .mapping = row.content else {
                decoder.report(keyPath, "expected a mapping with path and upstream, found \(row.kindName)", node: node)
                valid = false
                continue
            }
            guard let route = decode(row, at: keyPath, using: &decoder) else {
                valid = false
                continue
            }
            if let earlier = routes.firstIndex(where: { $0.path == route.path }) {
                decoder.report("\(keyPath).path", "\(route.path) is already the path of routes[\(earlier)]", node: node)
                valid = false
            }
            routes.append(route)
        }
        return valid ? routes : nil
    }

    private static func decode(_ row: ConfigNode, at keyPath: String, using decoder: inout ConfigDecoder) -> Self? {
        func key(_ name: String) -> String { "\(keyPath).\(name)" }
        let path = decodePath(row["path"], at: key("path"), using: &decoder)
        let upstream = decoder.upstreamURL(row["upstream"], at: key("upstream"))
        let token = row["token"].isAbsent ? .user : decoder.choice(TokenMode.self, row["token"], at: key("token"))
        let methods = decodeMethods(row["methods"], at: key("methods"), using: &decoder)
        let stripPrefix = row["strip_prefix"].isAbsent ? false : decoder.bool(row["strip_prefix"], at: key("strip_prefix"))
        let timeout = row["timeout"].isAbsent ? defaultTimeout : decoder.duration(row["timeout"], at: key("timeout"))
        let websocket = row["websocket"].isAbsent ? false : decoder.bool(row["websocket"], at: key("websocket"))
        if websocket == true, let methods, !methods.contains(.get) {
            decoder.report(key("methods"), "must include GET when websocket is true: upgrades are GET requests")
            return nil
        }
        guard let path, let upstream, let token, let methods, let stripPrefix, let timeout, let websocket else {
            return nil
        }
        return Route(
            path: path,
            upstream: upstream,
            token: token,
            methods: methods,
            stripPrefix: stripPrefix,
            timeout: timeout,
            websocket: websocket
        )
    }

    private static func decodePath(_ node: ConfigNode?, at keyPath: String, using decoder: inout ConfigDecoder) -> String? {
        guard let path = decoder.requiredString(node, at: keyPath) else { return nil }
        guard path.hasPrefix("/") else {
            decoder.report(keyPath, "must start with /, as in /api/", node: node)
            return nil
        }
        let forbidden: Set<Character> = ["?", "#", "\\", "%"]
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        guard !path.contains(where: { forbidden.contains($0) || $0.isWhitespace || !$0.isASCII }),
            !segments.contains("."), !segments.contains(".."), !path.contains("//")
        else {
            decoder.report(keyPath, "\"\(path)\" is not a plain path prefix (no query, %, \\, // or dot segments)", node: node)
            return nil
        }
        // Matching is by prefix, so `/`, `/b` or `/bff` would capture the BFF's own endpoints.
        if path == "/bff" || path.hasPrefix("/bff/") || "/bff/".hasPrefix(path) {
            decoder.report(keyPath, "\(path) collides with Gatehouse's own /bff/ endpoints", node: node)
            return nil
        }
        return path
    }

    private static func decodeMethods(
        _ node: ConfigNode?,
        at keyPath: String,
        using decoder: inout ConfigDecoder
    ) -> [RouteMethod]? {
        guard !node.isAbsent else { return defaultMethods }
        guard let names = decoder.stringList(node, at: keyPath) else { return nil }
        var methods: [RouteMethod] = []
        var valid = true
        for (index, name) in names.enumerated() {
            guard let method = RouteMethod(rawValue: name.uppercased()) else {
                let allowed = RouteMethod.allCases.map(\.rawValue).joined(separator: ", ")
                decoder.report("\(keyPath)[\(index)]", "\"\(name)\" is not one of \(allowed)", node: node)
                valid = false
                continue
            }
            if !methods.contains(method) { methods.append(method) }
        }
        if valid && methods.isEmpty {
            decoder.report(keyPath, "must allow at least one method", node: node)
            valid = false
        }
        return valid ? methods : nil
    }
}

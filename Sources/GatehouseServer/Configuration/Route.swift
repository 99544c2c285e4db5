package import Foundation

/// One proxied API prefix (`routes[]`); only configured routes are ever proxied.
package struct Route: Sendable, Hashable {
    /// The path prefix, starting with `/` (`path`); the longest matching prefix wins.
    package var path: String
    /// The upstream base URL, http or https (`upstream`).
    package var upstream: URL
    /// Which token is forwarded (`token`).
    package var token = TokenMode.user
    /// Allowed methods (`methods`); others get 405.
    package var methods: [RouteMethod] = [.get, .post, .put, .patch, .delete]
    /// Whether `path` is removed before forwarding (`strip_prefix`).
    package var stripPrefix = false
    /// Upstream timeout (`timeout`).
    package var timeout = Duration.seconds(30)
    /// Whether WebSocket upgrades are proxied (`websocket`).
    package var websocket = false
    /// Authorization rules checked on every call (`require`); `nil` for none.
    package var require: RouteRequirements?
    /// The audience the user's token is exchanged for, RFC 8693 (`audience`); `nil` forwards it as it is.
    package var audience: String?
    /// TLS to an https upstream beyond the defaults: a private CA, a client certificate (`tls`).
    package var tls: UpstreamTLSSettings?
}

extension Route {
    /// Reads `routes`; duplicate paths are problems.
    static func routes(_ root: ConfigSection) -> [Route] {
        var routes: [Route] = []
        root.rows("routes", kind: "routes", rowKind: "path and upstream") { row, list in
            guard let route = Route(row) else { return }
            if let earlier = routes.firstIndex(where: { $0.path == route.path }) {
                row.report("path", "\(route.path) is already the path of routes[\(earlier)]", node: list)
            }
            routes.append(route)
        }
        return routes
    }

    /// Reads one route; nil when anything in it is wrong (reported).
    init?(_ section: ConfigSection) {
        // The placeholders never escape: a missing or bad path or upstream is a problem.
        self.init(path: Self.path(section) ?? "", upstream: Self.upstream(section) ?? URL(filePath: "/"))
        token = section.choice("token") ?? token
        methods = Self.methods(section) ?? methods
        stripPrefix = section.bool("strip_prefix") ?? stripPrefix
        timeout = section.duration("timeout") ?? timeout
        websocket = section.bool("websocket") ?? websocket
        if websocket && !methods.contains(.get) {
            section.report("methods", "must include GET when websocket is true: upgrades are GET requests")
        }
        if section.node("require", shape: .yaml) != nil { require = RouteRequirements(section.section("require")) }
        audience = section.string("audience")
        if audience?.isEmpty == true { section.report("audience", "must not be empty") }
        if audience != nil && token != .user {
            section.report("audience", "needs token: user, because the user's access token is what is exchanged")
        }
        tls = UpstreamTLSSettings.read(section, upstreamIsHTTPS: upstream.scheme == "https")
        if !section.isValid() { return nil }
    }

    private static func upstream(_ section: ConfigSection) -> URL? {
        let url = section.httpURL("upstream") { components in
            components.percentEncodedQuery == nil && components.percentEncodedFragment == nil ? nil : "must not have a query or fragment"
        }
        return url.flatMap { URL(string: $0.text) }
    }

    private static func path(_ section: ConfigSection) -> String? {
        guard let path = section.requiredString("path"), let node = section.node("path") else { return nil }
        let forbidden: Set<Character> = ["?", "#", "\\", "%"]
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        let problem: String? =
            if !path.hasPrefix("/") { "must start with /, as in /api/" }
            else if path.contains(where: { forbidden.contains($0) || $0.isWhitespace || !$0.isASCII }) || segments.contains(".")
                || segments.contains("..") || path.contains("//")
            {
                "\"\(path)\" is not a plain path prefix (no query, %, \\, // or dot segments)"
            }
            // Matching is by prefix, so `/`, `/b` or `/bff` would capture the BFF's own endpoints.
            else if path == "/bff" || path.hasPrefix("/bff/") || "/bff/".hasPrefix(path) {
                "\(path) collides with Gatehouse's own /bff/ endpoints"
            } else { nil }
        if let problem { section.report("path", problem, node: node) }
        return problem == nil ? path : nil
    }

    /// Method names in any case, duplicates dropped; at least one.
    private static func methods(_ section: ConfigSection) -> [RouteMethod]? {
        guard let (names, node) = section.stringList("methods") else { return nil }
        var methods: [RouteMethod] = []
        var valid = true
        for (index, name) in names.enumerated() {
            guard let method = RouteMethod(rawValue: name.uppercased()) else {
                let allowed = RouteMethod.allCases.map(\.rawValue).joined(separator: ", ")
                section.report("methods[\(index)]", "\"\(name)\" is not one of \(allowed)", node: node)
                valid = false
                continue
            }
            if !methods.contains(method) { methods.append(method) }
        }
        if valid && methods.isEmpty {
            section.report("methods", "must allow at least one method", node: node)
            valid = false
        }
        return valid ? methods : nil
    }
}

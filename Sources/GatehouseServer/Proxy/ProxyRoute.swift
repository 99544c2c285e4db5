package import Foundation

/// One configured API route, ready for matching: prefix, upstream, token mode.
package struct ProxyRoute: Sendable {
    package var pathPrefix: String
    /// The upstream origin and base path, without a trailing slash.
    package var upstream: URL
    /// What token the upstream gets.
    package var token: TokenMode
    /// Upper-case method names; others get 405.
    package var methods: Set<String>
    package var stripPrefix: Bool
    package var timeout: Duration
    /// Whether WebSocket upgrades on this route are proxied.
    package var websocket: Bool

    package init(
        pathPrefix: String, upstream: URL, token: TokenMode = .user, methods: Set<String> = Set(Route.defaultMethods.map(\.rawValue)),
        stripPrefix: Bool = false, timeout: Duration = Route.defaultTimeout, websocket: Bool = false
    ) {
        self.pathPrefix = pathPrefix
        self.upstream = upstream
        self.token = token
        self.methods = methods
        self.stripPrefix = stripPrefix
        self.timeout = timeout
        self.websocket = websocket
    }

    /// The upstream URL for a request path and raw query: the route's upstream
    /// base plus the path (less the prefix when stripped). Built only from the
    /// configured upstream, so nothing in the request can pick another host.
    func upstreamURL(path: String, query: String?) -> String {
        var base = upstream.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        return base + rest(path: path, query: query)
    }

    /// The request target on the upstream: its base path plus the request's path and query.
    func upstreamTarget(path: String, query: String?) -> String {
        var base = upstream.path
        while base.hasSuffix("/") { base.removeLast() }
        return base + rest(path: path, query: query)
    }

    private func rest(path: String, query: String?) -> String {
        var rest = stripPrefix ? String(path.dropFirst(pathPrefix.count)) : path
        if !rest.hasPrefix("/") { rest = "/" + rest }
        if let query, !query.isEmpty { rest += "?" + query }
        return rest
    }

    /// Whether the upstream is plain HTTP (the proxy's own client); `https` goes through AsyncHTTPClient.
    var isPlainHTTP: Bool { upstream.scheme?.lowercased() == "http" }
    var upstreamHost: String { upstream.host ?? "127.0.0.1" }
    var upstreamPort: Int { upstream.port ?? (isPlainHTTP ? 80 : 443) }
    /// The `Host` header the upstream gets.
    var upstreamAuthority: String { upstream.port.map { "\(upstreamHost):\($0)" } ?? upstreamHost }
}

/// Finds the route for a path: longest matching prefix wins.
package struct ProxyRouteTable: Sendable {
    package let routes: [ProxyRoute]

    package init(_ routes: [ProxyRoute]) {
        self.routes = routes.sorted { $0.pathPrefix.count > $1.pathPrefix.count }
    }

    package func route(for path: String) -> ProxyRoute? {
        routes.first { path.hasPrefix($0.pathPrefix) || path + "/" == $0.pathPrefix }
    }

    package var prefixes: [String] { routes.map(\.pathPrefix) }
}

import Foundation

/// What the proxy derives from a configured route. Built only from the configured upstream,
/// so nothing in the request can pick another host.
extension Route {
    /// The upstream URL for a request path and raw query: the route's upstream base plus the
    /// path (less the prefix when stripped).
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
        var rest = stripPrefix ? String(path.dropFirst(self.path.count)) : path
        if !rest.hasPrefix("/") { rest = "/" + rest }
        if let query, !query.isEmpty { rest += "?" + query }
        return rest
    }

    /// Whether the route allows this request method (`methods`); the others get 405.
    func allows(method: String) -> Bool {
        RouteMethod(rawValue: method).map(methods.contains) ?? false
    }

    /// Whether the upstream is plain HTTP (the proxy's own client); `https` goes through AsyncHTTPClient.
    var isPlainHTTP: Bool { upstream.scheme?.lowercased() == "http" }
    /// `nil` for plain http; else how the upstream's TLS is set up.
    var upstreamTLS: UpstreamClient.UpstreamTLS? { isPlainHTTP ? nil : UpstreamClient.UpstreamTLS(settings: tls) }
    var upstreamHost: String { upstream.host ?? "127.0.0.1" }
    var upstreamPort: Int { upstream.port ?? (isPlainHTTP ? 80 : 443) }
    /// The `Host` header the upstream gets.
    var upstreamAuthority: String { upstream.port.map { "\(upstreamHost):\($0)" } ?? upstreamHost }
}

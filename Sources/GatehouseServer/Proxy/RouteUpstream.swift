import Foundation

/// Where a route forwards to, derived once per route table from its configured upstream URL:
/// Foundation's URL accessors parse on every call, and a proxied request asked for the host,
/// port, scheme and path seven times (about 4 % of its instructions). Built only from the
/// configured upstream, so nothing in the request can pick another host.
struct RouteUpstream: Sendable {
    let host: String
    let port: Int
    /// `nil` for plain http; else how the upstream's TLS is set up.
    let tls: UpstreamClient.UpstreamTLS?
    /// The `Host` header the upstream gets.
    let authority: String
    /// The upstream URL and its path, without trailing `/`.
    private let baseURL: String
    private let basePath: String
    /// The route's prefix, when it is removed before forwarding (`strip_prefix`).
    private let strippedPrefix: String?

    init(_ route: Route) {
        let isPlainHTTP = route.upstream.scheme?.lowercased() == "http"
        let host = route.upstream.host ?? "127.0.0.1"
        self.host = host
        port = route.upstream.port ?? (isPlainHTTP ? 80 : 443)
        tls = isPlainHTTP ? nil : UpstreamClient.UpstreamTLS(settings: route.tls)
        authority = route.upstream.port.map { "\(host):\($0)" } ?? host
        baseURL = Self.trimmed(route.upstream.absoluteString)
        basePath = Self.trimmed(route.upstream.path)
        strippedPrefix = route.stripPrefix ? route.path : nil
    }

    /// The upstream URL for a request path and raw query: the upstream base plus the path (less
    /// the prefix when stripped).
    func url(path: String, query: String?) -> String {
        baseURL + rest(path: path, query: query)
    }

    /// The request target on the upstream: its base path plus the request's path and query.
    func target(path: String, query: String?) -> String {
        basePath + rest(path: path, query: query)
    }

    private func rest(path: String, query: String?) -> String {
        var rest = strippedPrefix.map { String(path.dropFirst($0.count)) } ?? path
        if !rest.hasPrefix("/") { rest = "/" + rest }
        if let query, !query.isEmpty { rest += "?" + query }
        return rest
    }

    private static func trimmed(_ text: String) -> String {
        var text = text
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }
}

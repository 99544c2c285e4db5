/// A request method a route may allow (`routes[].methods`).
///
/// A closed set on purpose: `TRACE` reflects requests (cookies included) and `CONNECT`
/// would turn the proxy into a tunnel, so neither can be allowed. Named apart from
/// NIO's `HTTPMethod`, which the proxy code imports.
package enum RouteMethod: String, Sendable, Hashable, CaseIterable {
    case get = "GET"
    case head = "HEAD"
    case post = "POST"
    case put = "PUT"
    case patch = "PATCH"
    case delete = "DELETE"
    case options = "OPTIONS"
}

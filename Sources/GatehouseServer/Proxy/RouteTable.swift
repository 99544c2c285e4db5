/// Finds the route for a path: longest matching prefix wins.
package struct RouteTable: Sendable {
    package let routes: [Route]
    /// Each route's upstream, in the order of `routes`.
    private let upstreams: [RouteUpstream]

    package init(_ routes: [Route]) {
        self.routes = routes.sorted { $0.path.count > $1.path.count }
        self.upstreams = self.routes.map(RouteUpstream.init)
    }

    package func route(for path: String) -> Route? {
        match(path)?.route
    }

    /// The route for `path` (a path under its prefix, or the prefix without its trailing `/`) and its upstream.
    func match(_ path: String) -> (route: Route, upstream: RouteUpstream)? {
        for (index, route) in routes.enumerated() where path.hasPrefix(route.path) || Self.isPrefixWithoutSlash(path, of: route.path) {
            return (route, upstreams[index])
        }
        return nil
    }

    /// `path + "/" == prefix`, without building the string (this runs for every request and route).
    private static func isPrefixWithoutSlash(_ path: String, of prefix: String) -> Bool {
        prefix.utf8.count == path.utf8.count + 1 && prefix.utf8.last == UInt8(ascii: "/") && prefix.hasPrefix(path)
    }

    package var prefixes: [String] { routes.map(\.path) }
}

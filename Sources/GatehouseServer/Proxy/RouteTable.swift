/// Finds the route for a path: longest matching prefix wins.
package struct RouteTable: Sendable {
    package let routes: [Route]

    package init(_ routes: [Route]) {
        self.routes = routes.sorted { $0.path.count > $1.path.count }
    }

    package func route(for path: String) -> Route? {
        routes.first { path.hasPrefix($0.path) || path + "/" == $0.path }
    }

    package var prefixes: [String] { routes.map(\.path) }
}

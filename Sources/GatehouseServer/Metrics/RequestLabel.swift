/// The low-cardinality `route` label of a request's metrics: a BFF endpoint, an API or WebSocket
/// route prefix, or `static` — never a raw path.
enum RequestLabel {
    /// The BFF endpoints with a label of their own.
    static let bffEndpoints = ["login", "callback", "user", "logout", "backchannel-logout", "sessions", "sessions/end-others"]

    /// The label of a request for `path` outside the API routes' own middleware.
    static func of(_ path: String, routes: RouteTable) -> String {
        if path.hasPrefix("/bff/") {
            let endpoint = path.dropFirst("/bff/".count)
            if endpoint.hasPrefix("sessions/") && endpoint != "sessions/end-others" { return "bff:sessions/{id}" }
            return bffEndpoints.contains(String(endpoint)) ? "bff:" + endpoint : "bff:other"
        }
        if let route = routes.route(for: path) { return api(route) }
        return "static"
    }

    static func api(_ route: Route) -> String { "api:" + route.path }
    static func webSocket(_ route: Route) -> String { "ws:" + route.path }

    /// Every label a request can get with these routes, to declare their series at start.
    static func all(routes: RouteTable) -> [String] {
        bffEndpoints.map { "bff:" + $0 } + ["bff:sessions/{id}", "bff:other", "static"]
            + routes.routes.map(api) + routes.routes.filter(\.websocket).map(webSocket)
    }
}

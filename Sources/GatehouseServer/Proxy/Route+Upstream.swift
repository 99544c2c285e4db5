/// What the proxy asks of a configured route besides its upstream (``RouteUpstream``).
extension Route {
    /// Whether the route allows this request method (`methods`); the others get 405.
    func allows(method: String) -> Bool {
        RouteMethod(rawValue: method).map(methods.contains) ?? false
    }
}

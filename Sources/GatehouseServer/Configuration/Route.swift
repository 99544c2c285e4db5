public import Foundation

/// One proxied API prefix (`routes[]`); only configured routes are ever proxied.
public struct Route: Sendable, Hashable {
    /// The path prefix, starting with `/` (`path`); the longest matching prefix wins.
    public var path: String
    /// The upstream base URL, http or https (`upstream`).
    public var upstream: URL
    /// Which token is forwarded (`token`).
    public var token: TokenMode
    /// Allowed methods (`methods`); others get 405.
    public var methods: [RouteMethod]
    /// Whether `path` is removed before forwarding (`strip_prefix`).
    public var stripPrefix: Bool
    /// Upstream timeout (`timeout`).
    public var timeout: Duration
    /// Whether WebSocket upgrades are proxied (`websocket`).
    public var websocket: Bool

    /// Default for `methods`.
    public static let defaultMethods: [RouteMethod] = [.get, .post, .put, .patch, .delete]
    /// Default for `timeout`.
    public static let defaultTimeout = Duration.seconds(30)

    /// Creates a route; the defaults are those of PRODUCT.md.
    public init(
        path: String,
        upstream: URL,
        token: TokenMode = .user,
        methods: [RouteMethod] = Self.defaultMethods,
        stripPrefix: Bool = false,
        timeout: Duration = Self.defaultTimeout,
        websocket: Bool = false
    ) {
        self.path = path
        self.upstream = upstream
        self.token = token
        self.methods = methods
        self.stripPrefix = stripPrefix
        self.timeout = timeout
        self.websocket = websocket
    }
}

package import Foundation

/// One proxied API prefix (`routes[]`); only configured routes are ever proxied.
package struct Route: Sendable, Hashable {
    /// The path prefix, starting with `/` (`path`); the longest matching prefix wins.
    package var path: String
    /// The upstream base URL, http or https (`upstream`).
    package var upstream: URL
    /// Which token is forwarded (`token`).
    package var token: TokenMode
    /// Allowed methods (`methods`); others get 405.
    package var methods: [RouteMethod]
    /// Whether `path` is removed before forwarding (`strip_prefix`).
    package var stripPrefix: Bool
    /// Upstream timeout (`timeout`).
    package var timeout: Duration
    /// Whether WebSocket upgrades are proxied (`websocket`).
    package var websocket: Bool
    /// Authorization rules checked on every call (`require`); `nil` for none.
    package var require: RouteRequirements?
    /// The audience the user's token is exchanged for, RFC 8693 (`audience`); `nil` forwards it as it is.
    package var audience: String?
    /// TLS to an https upstream beyond the defaults: a private CA, a client certificate (`tls`).
    package var tls: UpstreamTLSSettings?

    /// Default for `methods`.
    package static let defaultMethods: [RouteMethod] = [.get, .post, .put, .patch, .delete]
    /// Default for `timeout`.
    package static let defaultTimeout = Duration.seconds(30)

    /// Creates a route; the defaults are those of PRODUCT.md.
    package init(
        path: String,
        upstream: URL,
        token: TokenMode = .user,
        methods: [RouteMethod] = Self.defaultMethods,
        stripPrefix: Bool = false,
        timeout: Duration = Self.defaultTimeout,
        websocket: Bool = false,
        require: RouteRequirements? = nil,
        audience: String? = nil,
        tls: UpstreamTLSSettings? = nil
    ) {
        self.path = path
        self.upstream = upstream
        self.token = token
        self.methods = methods
        self.stripPrefix = stripPrefix
        self.timeout = timeout
        self.websocket = websocket
        self.require = require
        self.audience = audience
        self.tls = tls
    }
}

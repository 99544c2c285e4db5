public import Foundation

/// Everything `gatehouse serve` needs, validated: the YAML file of PRODUCT.md with
/// environment overrides and `*_file` secrets applied. Load it with ``ConfigurationLoader``.
///
/// `description` shows no secret: secrets are ``ConfigSecret`` values.
public struct GatehouseConfiguration: Sendable, Hashable {
    /// The public listener (`listen`), default `0.0.0.0:8080`.
    public var listen: ListenAddress
    /// The admin listener for `/healthz`, `/readyz`, `/metrics` (`admin_listen`), default `127.0.0.1:9091`.
    public var adminListen: ListenAddress
    /// What one client may cost the public listener (`limits`).
    public var limits: ListenerLimits
    /// The SPA's external origin (`public_url`), without a trailing slash: `https://app.example.com`.
    public var publicURL: URL
    /// The SPA's files (`static_dir`), default `Public`, relative to the working directory.
    public var staticDirectory: String
    /// The OpenID provider and this client's registration (`oidc`).
    public var oidc: OIDCSettings
    /// Sessions and their cookie (`session`).
    public var session: SessionSettings
    /// Load balancers whose `X-Forwarded-*` headers are believed (`trusted_proxies`), default none.
    public var trustedProxies: [CIDR]
    /// Logging (`log`).
    public var log: LogSettings
    /// The CSRF header (`csrf`).
    public var csrf: CSRFSettings
    /// The API routes, the only requests ever proxied (`routes`), default none.
    public var routes: [Route]

    /// Default for `listen`.
    public static let defaultListen = ListenAddress(host: "0.0.0.0", port: 8080)
    /// Default for `admin_listen`: loopback, because metrics are not for the internet.
    public static let defaultAdminListen = ListenAddress(host: "127.0.0.1", port: 9091)
    /// Default for `static_dir`.
    public static let defaultStaticDirectory = "Public"

    /// Creates a configuration; defaults are those of PRODUCT.md.
    public init(
        listen: ListenAddress = Self.defaultListen,
        adminListen: ListenAddress = Self.defaultAdminListen,
        limits: ListenerLimits = ListenerLimits(),
        publicURL: URL,
        staticDirectory: String = Self.defaultStaticDirectory,
        oidc: OIDCSettings,
        session: SessionSettings,
        trustedProxies: [CIDR] = [],
        log: LogSettings = LogSettings(),
        csrf: CSRFSettings = CSRFSettings(),
        routes: [Route] = []
    ) {
        self.listen = listen
        self.adminListen = adminListen
        self.limits = limits
        self.publicURL = publicURL
        self.staticDirectory = staticDirectory
        self.oidc = oidc
        self.session = session
        self.trustedProxies = trustedProxies
        self.log = log
        self.csrf = csrf
        self.routes = routes
    }

    /// Whether the SPA is served over https (cookies are then `Secure` and `__Host-` named).
    public var isHTTPS: Bool {
        publicURL.scheme?.lowercased() == "https"
    }

    /// The redirect URI registered at the provider: `public_url` + `/bff/callback`.
    public var redirectURI: URL {
        publicURL.appending(path: "bff/callback")
    }
}

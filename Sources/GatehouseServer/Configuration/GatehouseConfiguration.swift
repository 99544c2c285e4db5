package import Foundation
package import GatehouseSessions

/// Everything `gatehouse serve` needs, validated: the YAML file of PRODUCT.md with
/// environment overrides and `*_file` secrets applied. Load it with ``ConfigurationLoader``.
///
/// `description` shows no secret: secrets are ``ConfigSecret`` values.
package struct GatehouseConfiguration: Sendable, Hashable {
    /// The public listener (`listen`), default `0.0.0.0:8080`.
    package var listen: ListenAddress
    /// The admin listener for `/healthz`, `/readyz`, `/metrics` (`admin_listen`), default `127.0.0.1:9091`.
    package var adminListen: ListenAddress
    /// HTTPS on the public listener (`tls`); nil: plain HTTP (TLS ends at a load balancer).
    package var tls: ListenerTLSSettings?
    /// What one client may cost the public listener (`limits`).
    package var limits: ListenerLimits
    /// The admin API (`admin`).
    package var admin: AdminSettings
    /// The SPA's external origin (`public_url`), without a trailing slash: `https://app.example.com`.
    package var publicURL: URL
    /// The SPA's files (`static_dir`), default `Public`, relative to the working directory.
    package var staticDirectory: String
    /// The OpenID provider and this client's registration (`oidc`).
    package var oidc: OIDCSettings
    /// Sessions and their cookie (`session`).
    package var session: SessionSettings
    /// Load balancers whose `X-Forwarded-*` headers are believed (`trusted_proxies`), default none.
    package var trustedProxies: [CIDR]
    /// Logging (`log`).
    package var log: LogSettings
    /// The CSRF header (`csrf`).
    package var csrf: CSRFSettings
    /// OpenTelemetry traces (`telemetry`), off by default.
    package var telemetry: TelemetrySettings
    /// The API routes, the only requests ever proxied (`routes`), default none.
    package var routes: [Route]
    /// Timings without a key.
    package var timings = ProtocolTimings()

    /// Default for `listen`.
    package static let defaultListen = ListenAddress(host: "0.0.0.0", port: 8080)
    /// Default for `admin_listen`: loopback, because metrics are not for the internet.
    package static let defaultAdminListen = ListenAddress(host: "127.0.0.1", port: 9091)
    /// Default for `static_dir`.
    package static let defaultStaticDirectory = "Public"

    /// Creates a configuration; defaults are those of PRODUCT.md.
    package init(
        listen: ListenAddress = Self.defaultListen,
        adminListen: ListenAddress = Self.defaultAdminListen,
        tls: ListenerTLSSettings? = nil,
        limits: ListenerLimits = ListenerLimits(),
        admin: AdminSettings = AdminSettings(),
        publicURL: URL,
        staticDirectory: String = Self.defaultStaticDirectory,
        oidc: OIDCSettings,
        session: SessionSettings,
        trustedProxies: [CIDR] = [],
        log: LogSettings = LogSettings(),
        csrf: CSRFSettings = CSRFSettings(),
        telemetry: TelemetrySettings = TelemetrySettings(),
        routes: [Route] = []
    ) {
        self.listen = listen
        self.adminListen = adminListen
        self.tls = tls
        self.limits = limits
        self.admin = admin
        self.publicURL = publicURL
        self.staticDirectory = staticDirectory
        self.oidc = oidc
        self.session = session
        self.trustedProxies = trustedProxies
        self.log = log
        self.csrf = csrf
        self.telemetry = telemetry
        self.routes = routes
    }

    /// Whether the SPA is served over https (cookies are then `Secure` and `__Host-` named).
    package var isHTTPS: Bool {
        publicURL.scheme?.lowercased() == "https"
    }

    /// `public_url` without a trailing slash.
    package var origin: String {
        var text = publicURL.absoluteString
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }

    /// `host[:port]` of `public_url`, as browsers send it in `Host`.
    package var publicHost: String {
        guard let host = publicURL.host else { return "" }
        return publicURL.port.map { "\(host):\($0)" } ?? host
    }

    /// The redirect URI registered at the provider: `public_url` + `/bff/callback`.
    package var redirectURI: URL {
        publicURL.appending(path: "bff/callback")
    }

    /// Where the provider sends the browser after RP-initiated logout.
    package var postLogoutRedirectURI: String { origin + "/" }

    /// The cookie binding a login to this browser: `__Host-` on https (so no subdomain can plant
    /// one), short-lived, SameSite=Lax so it survives the top-level return from a provider on
    /// another site.
    package var loginCookieName: String { isHTTPS ? "__Host-gatehouse-login" : "gatehouse-login" }

    /// How long sessions and login attempts live.
    package var sessionTimeouts: SessionTimeouts {
        SessionTimeouts(idle: session.idleTimeout, absolute: session.absoluteTimeout, login: timings.login)
    }
}

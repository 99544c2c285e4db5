package import Foundation
package import GatehouseSessions

/// Everything `gatehouse serve` needs, validated: the YAML file of PRODUCT.md with
/// environment overrides and `*_file` secrets applied. Load it with ``ConfigurationLoader``;
/// the properties' initial values are PRODUCT.md's defaults.
///
/// `description` shows no secret: secrets are ``ConfigSecret`` values.
package struct GatehouseConfiguration: Sendable, Hashable {
    /// The public listener (`listen`).
    package var listen = ListenAddress(host: "0.0.0.0", port: 8080)
    /// The admin listener for `/healthz`, `/readyz`, `/metrics` (`admin_listen`): loopback by default, because metrics are not for the internet.
    package var adminListen = ListenAddress(host: "127.0.0.1", port: 9091)
    /// HTTPS on the public listener (`tls`); nil: plain HTTP (TLS ends at a load balancer).
    package var tls: ListenerTLSSettings?
    /// What one client may cost the public listener (`limits`).
    package var limits = ListenerLimits()
    /// The admin API (`admin`).
    package var admin = AdminSettings()
    /// The SPA's external origin (`public_url`), without a trailing slash: `https://app.example.com`.
    package var publicURL: URL
    /// The SPA's files (`static_dir`), relative to the working directory.
    package var staticDirectory = "Public"
    /// The OpenID provider and this client's registration (`oidc`).
    package var oidc: OIDCSettings
    /// Sessions and their cookie (`session`).
    package var session: SessionSettings
    /// Load balancers whose `X-Forwarded-*` headers are believed (`trusted_proxies`).
    package var trustedProxies: [CIDR] = []
    /// Logging (`log`).
    package var log = LogSettings()
    /// The CSRF header (`csrf`).
    package var csrf = CSRFSettings()
    /// OpenTelemetry traces (`telemetry`), off by default.
    package var telemetry = TelemetrySettings()
    /// The API routes, the only requests ever proxied (`routes`).
    package var routes: [Route] = []
    /// Timings without a key.
    package var timings = ProtocolTimings()

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

extension GatehouseConfiguration {
    /// Reads the whole tree, key by key in PRODUCT.md's order (problems come out in it). The
    /// result is used only when no problem was reported, so the placeholders never escape.
    init(_ root: ConfigSection) {
        listen = root.listenAddress("listen") ?? listen
        adminListen = root.listenAddress("admin_listen") ?? adminListen
        let wildcards = ["0.0.0.0", "::"]
        if root.isValid("listen", "admin_listen"), listen.port != 0, listen.port == adminListen.port,
            listen.host == adminListen.host || wildcards.contains(listen.host) || wildcards.contains(adminListen.host)
        {
            root.report("admin_listen", "\(adminListen) would share a port with listen (\(listen))")
        }
        limits = ListenerLimits(root.section("limits"))
        admin = AdminSettings(root.section("admin"))
        let publicURL = Self.publicURL(root)
        self.publicURL = publicURL ?? URL(filePath: "/")
        if root.node("static_dir") != nil { staticDirectory = root.requiredString("static_dir") ?? "" }
        tls = ListenerTLSSettings.read(root)
        oidc = OIDCSettings(root.section("oidc"))
        session = SessionSettings(root.section("session"), isHTTPS: publicURL.map { $0.scheme == "https" })
        trustedProxies = root.cidrList("trusted_proxies") ?? []
        log = LogSettings(root.section("log"))
        csrf = CSRFSettings(root.section("csrf"))
        telemetry = TelemetrySettings(root.section("telemetry"))
        routes = Route.routes(root)
    }

    /// `public_url`: an http or https origin, nothing after it but an optional `/`. Returned
    /// lower-cased and without a trailing slash, so `public_url + /bff/callback` has one slash.
    private static func publicURL(_ root: ConfigSection) -> URL? {
        let url = root.httpURL("public_url") { components in
            let isOrigin = components.percentEncodedPath.isEmpty || components.percentEncodedPath == "/"
            guard isOrigin, components.percentEncodedQuery == nil, components.percentEncodedFragment == nil else {
                return "must be an origin such as https://app.example.com, with no path, query or fragment"
            }
            return nil
        }
        guard var origin = url?.components else { return nil }
        origin.scheme = origin.scheme?.lowercased()
        origin.percentEncodedHost = origin.percentEncodedHost?.lowercased()
        origin.percentEncodedPath = ""
        return origin.url
    }
}

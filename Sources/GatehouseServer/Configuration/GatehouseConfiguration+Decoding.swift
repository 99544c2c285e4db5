import Foundation

extension GatehouseConfiguration {
    /// Reads the whole tree. The result is used only when no problem was reported, so the
    /// placeholder for a missing `public_url` never escapes.
    init(_ root: ConfigSection) {
        let listen = root.listenAddress("listen") ?? Self.defaultListen
        let adminListen = root.listenAddress("admin_listen") ?? Self.defaultAdminListen
        let wildcards = ["0.0.0.0", "::"]
        if root.isValid("listen", "admin_listen"), listen.port != 0, listen.port == adminListen.port,
            listen.host == adminListen.host || wildcards.contains(listen.host) || wildcards.contains(adminListen.host)
        {
            root.report("admin_listen", "\(adminListen) would share a port with listen (\(listen))")
        }
        let limits = ListenerLimits(root.section("limits"))
        let admin = AdminSettings(root.section("admin"))
        let publicURL = Self.publicURL(root)
        let staticDirectory = root.node("static_dir") == nil ? Self.defaultStaticDirectory : root.requiredString("static_dir")
        self.init(
            listen: listen,
            adminListen: adminListen,
            tls: ListenerTLSSettings.read(root),
            limits: limits,
            admin: admin,
            publicURL: publicURL ?? URL(filePath: "/"),
            staticDirectory: staticDirectory ?? "",
            oidc: OIDCSettings(root.section("oidc")),
            session: SessionSettings(root.section("session"), isHTTPS: publicURL.map { $0.scheme == "https" }),
            trustedProxies: root.cidrList("trusted_proxies") ?? [],
            log: LogSettings(root.section("log")),
            csrf: CSRFSettings(root.section("csrf")),
            telemetry: TelemetrySettings(root.section("telemetry")),
            routes: Route.routes(root)
        )
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

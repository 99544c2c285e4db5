extension GatehouseConfiguration {
    /// Decodes the merged tree, reporting every problem; nil when any was found.
    static func decode(_ root: ConfigNode, using decoder: inout ConfigDecoder, files: SecretFileReader) -> Self? {
        let listen = root["listen"].isAbsent ? defaultListen : decoder.listenAddress(root["listen"], at: "listen")
        let adminListen =
            root["admin_listen"].isAbsent
            ? defaultAdminListen : decoder.listenAddress(root["admin_listen"], at: "admin_listen")
        if let listen, let adminListen, listen.port != 0, listen.port == adminListen.port,
            listen.host == adminListen.host || isWildcard(listen.host) || isWildcard(adminListen.host)
        {
            decoder.report("admin_listen", "\(adminListen) would share a port with listen (\(listen))")
        }
        let limits = ListenerLimits.decode(root["limits"], using: &decoder)
        let publicURL = decoder.publicURL(root["public_url"], at: "public_url")
        let staticDirectory =
            root["static_dir"].isAbsent
            ? defaultStaticDirectory : decoder.requiredString(root["static_dir"], at: "static_dir")
        let oidc = OIDCSettings.decode(root["oidc"], using: &decoder, files: files)
        let isHTTPS = publicURL.map { $0.scheme == "https" }
        let session = SessionSettings.decode(root["session"], isHTTPS: isHTTPS, using: &decoder, files: files)
        let trustedProxies = root["trusted_proxies"].isAbsent ? [CIDR]() : decoder.cidrList(root["trusted_proxies"], at: "trusted_proxies")
        let log = LogSettings.decode(root["log"], using: &decoder)
        let csrf = CSRFSettings.decode(root["csrf"], using: &decoder)
        let routes = Route.decodeList(root["routes"], using: &decoder)

        guard let listen, let adminListen, let limits, let publicURL, let staticDirectory, let oidc, let session,
            let trustedProxies, let log, let csrf, let routes, decoder.problems.isEmpty
        else { return nil }
        return GatehouseConfiguration(
            listen: listen,
            adminListen: adminListen,
            limits: limits,
            publicURL: publicURL,
            staticDirectory: staticDirectory,
            oidc: oidc,
            session: session,
            trustedProxies: trustedProxies,
            log: log,
            csrf: csrf,
            routes: routes
        )
    }

    private static func isWildcard(_ host: String) -> Bool {
        host == "0.0.0.0" || host == "::"
    }
}

extension GatehouseConfiguration {
    /// A few lines for `gatehouse check-config` and the start-up log: what was
    /// understood, never a secret (the Redis URL shows `<redacted>` for its password).
    package var summary: String {
        let keyCount = session.encryptionKeys.count
        let proxies = trustedProxies.isEmpty ? "none" : trustedProxies.map(\.description).joined(separator: ", ")
        var lines: [String] = [
            "listen \(listen)\(tls.map { " (https: \($0.certificateFile))" } ?? ""), admin \(adminListen) (admin API \(admin.token == nil ? "off" : "on"))",
            "public_url \(publicURL.absoluteString), static_dir \(staticDirectory)",
            "oidc issuer \(oidc.issuer.absoluteString), client_id \(oidc.clientID), "
                + "client_auth \(oidc.clientAuthentication.rawValue), scopes \(oidc.scopes.joined(separator: " ")), par \(oidc.pushedAuthorization.rawValue), dpop \(oidc.dpop ? "on" : "off")",
            "session store \(session.store), cookie \(session.cookieName) (SameSite=\(session.sameSite.rawValue))",
            "session idle \(session.idleTimeout.configText), absolute \(session.absoluteTimeout.configText), "
                + "refresh before expiry \(session.refreshBeforeExpiry.configText), "
                + "\(keyCount) encryption key\(keyCount == 1 ? "" : "s")",
            "trusted_proxies \(proxies)",
            "log \(log.level.rawValue)/\(log.format.rawValue), csrf header \(csrf.header)",
            "telemetry " + (telemetry.tracesURL.map { "traces to \($0) as \(telemetry.serviceName)" } ?? "off"),
        ]
        if routes.isEmpty {
            lines.append("routes: none (nothing is proxied)")
        }
        for route in routes {
            var line = "route \(route.path) → \(route.upstream.absoluteString), token \(route.token.rawValue)"
            line += ", methods \(route.methods.map(\.rawValue).joined(separator: ","))"
            line += ", timeout \(route.timeout.configText)"
            if route.stripPrefix { line += ", strip_prefix" }
            if route.websocket { line += ", websocket" }
            if let rules = route.require {
                let named = (rules.claims.keys.sorted().map { "claims.\($0)" } + (rules.scopes.isEmpty ? [] : ["scopes"]) + (rules.acr.isEmpty ? [] : ["acr"]) + (rules.maxAge == nil ? [] : ["max_age"]))
                line += ", require \(named.joined(separator: ","))"
            }
            if let audience = route.audience { line += ", audience \(audience)" }
            if let tls = route.tls { line += ", tls" + (tls.caFile.map { " ca \($0)" } ?? "") + (tls.certificateFile.map { " client certificate \($0)" } ?? "") }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}

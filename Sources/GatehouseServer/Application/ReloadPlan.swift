/// What a reload does with a new configuration, as a pure comparison with the one in force:
/// which reloadable keys changed (they are applied) and which other keys changed (only a restart
/// applies them; they keep their old value until then).
package struct ReloadPlan: Sendable, Equatable {
    /// Reloadable keys whose value changed: `routes`, `session.encryption_keys`, `log.level`, `tls`.
    package var applied: [String] = []
    /// Changed keys that only a restart applies, by key path.
    package var needsRestart: [String] = []
    /// The configuration in force after the reload: `old` with the reloadable keys of `new`.
    package var result: GatehouseConfiguration

    /// - Parameter webSocketsEnabled: whether the listener was started with the WebSocket
    ///   upgrade (some route had `websocket: true`); without it a route gaining it needs a restart.
    package init(from old: GatehouseConfiguration, to new: GatehouseConfiguration, webSocketsEnabled: Bool) {
        result = old
        if old.routes != new.routes {
            applied.append("routes")
            result.routes = new.routes
            if !webSocketsEnabled {
                for (index, route) in new.routes.enumerated() where route.websocket {
                    needsRestart.append("routes[\(index)].websocket")
                    result.routes[index].websocket = false
                }
            }
        }
        if old.session.encryptionKeys != new.session.encryptionKeys {
            applied.append("session.encryption_keys")
            result.session.encryptionKeys = new.session.encryptionKeys
        }
        if old.log.level != new.log.level {
            applied.append("log.level")
            result.log.level = new.log.level
        }
        // Turning TLS on or off changes the listener; new paths for its files apply (the files
        // themselves are re-read on every reload by the reloader).
        if (old.tls == nil) != (new.tls == nil) {
            needsRestart.append("tls")
        } else if old.tls != new.tls {
            applied.append("tls")
            result.tls = new.tls
        }
        let fixed: [(String, (GatehouseConfiguration) -> AnyHashable)] = [
            ("listen", { $0.listen }), ("admin_listen", { $0.adminListen }), ("limits", { $0.limits }),
            ("admin", { $0.admin }), ("public_url", { $0.publicURL }), ("static_dir", { $0.staticDirectory }),
            ("oidc", { $0.oidc }), ("session.store", { $0.session.store }), ("session.cookie_name", { $0.session.cookieName }),
            ("session.same_site", { $0.session.sameSite }), ("session.idle_timeout", { $0.session.idleTimeout }),
            ("session.absolute_timeout", { $0.session.absoluteTimeout }),
            ("session.refresh_before_expiry", { $0.session.refreshBeforeExpiry }),
            ("session.max_per_user", { $0.session.maxPerUser }), ("trusted_proxies", { $0.trustedProxies }),
            ("log.format", { $0.log.format }), ("csrf", { $0.csrf }),
            ("telemetry", { $0.telemetry }),
        ]
        needsRestart += fixed.filter { $0.1(old) != $0.1(new) }.map(\.0)
    }
}

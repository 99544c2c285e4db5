import GatehouseSessions

extension SessionSettings {
    /// Reads `session`. `isHTTPS` is nil when `public_url` itself is unusable: cookie-name
    /// rules that depend on it are skipped rather than guessed. The placeholders for a
    /// missing store or keys never escape: that is a problem.
    init(_ section: ConfigSection, isHTTPS: Bool?) {
        self.init(store: Self.store(section) ?? .memory, encryptionKeys: [])
        cookieName = Self.cookieName(section, isHTTPS: isHTTPS)
        sameSite = section.choice("same_site") ?? sameSite
        idleTimeout = section.duration("idle_timeout") ?? idleTimeout
        absoluteTimeout = section.duration("absolute_timeout") ?? absoluteTimeout
        refreshBeforeExpiry = section.duration("refresh_before_expiry") ?? refreshBeforeExpiry
        encryptionKeys = section.encryptionKeys() ?? encryptionKeys
        maxPerUser = section.integer("max_per_user", atLeast: 0) ?? maxPerUser
        let idleTooLong = section.isValid("idle_timeout", "absolute_timeout") && idleTimeout > absoluteTimeout
        // A token refreshed that early would be refreshed on every request of a live session.
        let refreshTooEarly = section.isValid("idle_timeout", "refresh_before_expiry") && refreshBeforeExpiry >= idleTimeout
        if idleTooLong {
            section.report("idle_timeout", "must not be longer than absolute_timeout (\(absoluteTimeout.configText))")
        }
        if refreshTooEarly {
            section.report("refresh_before_expiry", "must be shorter than idle_timeout (\(idleTimeout.configText))")
        }
    }

    private static func store(_ section: ConfigSection) -> SessionStoreSetting? {
        guard let source = section.secret("store") else {
            if section.node("store") == nil && section.node("store_file") == nil {
                section.reportMissing("store", "required: memory, redis://host:6379/0 or rediss://…")
            }
            return nil
        }
        if source.text == "memory" { return .memory }
        do {
            return .redis(RedisStoreURL(url: ConfigSecret(source.text), parts: try RedisURL(parsing: source.text)))
        } catch {
            section.report(source.key, error.description, node: source.node)
            return nil
        }
    }

    private static func cookieName(_ section: ConfigSection, isHTTPS: Bool?) -> String {
        let fallback = defaultCookieName(isHTTPS: isHTTPS ?? true)
        guard let node = section.node("cookie_name") else { return fallback }
        guard let name = section.requiredString("cookie_name") else { return fallback }
        let lowercased = name.lowercased()
        if !name.allSatisfy(\.isHTTPTokenCharacter) {
            section.report("cookie_name", "\"\(name)\" is not a cookie name (letters, digits and !#$%&'*+-.^_`|~ only)", node: node)
        } else if isHTTPS == false && (lowercased.hasPrefix("__host-") || lowercased.hasPrefix("__secure-")) {
            // Browsers drop such cookies unless they are Secure, which needs https.
            section.report("cookie_name", "a __Host- or __Secure- cookie needs an https public_url", node: node)
        }
        return name
    }
}

import GatehouseSessions

/// Where sessions live, how long, and the cookie that names them (`session`).
package struct SessionSettings: Sendable, Hashable {
    /// `memory` or Redis (`session.store` or `session.store_file`).
    package var store: SessionStoreSetting
    /// The session cookie's name (`session.cookie_name`); by default `__Host-Http-gatehouse`
    /// on https and `gatehouse` on http, where `__Host-` cookies cannot be set.
    package var cookieName = Self.defaultCookieName(isHTTPS: true)
    /// The cookie's `SameSite` (`session.same_site`).
    package var sameSite = SameSitePolicy.strict
    /// Sliding inactivity limit (`session.idle_timeout`).
    package var idleTimeout = Duration.seconds(30 * 60)
    /// Hard limit from login (`session.absolute_timeout`).
    package var absoluteTimeout = Duration.seconds(12 * 3600)
    /// Refresh access tokens expiring within this (`session.refresh_before_expiry`).
    package var refreshBeforeExpiry = Duration.seconds(60)
    /// Live sessions per user (`session.max_per_user`); a login beyond it ends that user's oldest. 0 is no limit.
    package var maxPerUser = 0
    /// AES-256 keys, 32 bytes each; the first encrypts, all decrypt (`session.encryption_keys`
    /// or `session.encryption_keys_file`, one base64 key per line).
    package var encryptionKeys: [ConfigSecret<[UInt8]>]

    /// The default cookie name for a `public_url` served over https or not: `__Host-` where
    /// browsers allow it, so no subdomain can plant one.
    package static func defaultCookieName(isHTTPS: Bool) -> String {
        isHTTPS ? "__Host-Http-gatehouse" : "gatehouse"
    }
}

/// Where sessions are kept (`session.store`): `memory` or a Redis URL.
package enum SessionStoreSetting: Sendable, Hashable, CustomStringConvertible {
    /// In this process only: for the demo and a single replica; sessions end on restart.
    case memory
    /// Redis, shared by every replica.
    case redis(RedisStoreURL)

    /// `memory`, or the Redis URL without its password.
    package var description: String {
        switch self {
        case .memory: "memory"
        case .redis(let url): url.description
        }
    }
}

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

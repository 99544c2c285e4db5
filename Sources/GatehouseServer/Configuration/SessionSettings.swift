/// Where sessions live, how long, and the cookie that names them (`session`).
package struct SessionSettings: Sendable, Hashable {
    /// `memory` or Redis (`session.store` or `session.store_file`).
    package var store: SessionStoreSetting
    /// The session cookie's name (`session.cookie_name`); by default `__Host-Http-gatehouse`
    /// on https and `gatehouse` on http, where `__Host-` cookies cannot be set.
    package var cookieName: String
    /// The cookie's `SameSite` (`session.same_site`).
    package var sameSite: SameSitePolicy
    /// Sliding inactivity limit (`session.idle_timeout`).
    package var idleTimeout: Duration
    /// Hard limit from login (`session.absolute_timeout`).
    package var absoluteTimeout: Duration
    /// Refresh access tokens expiring within this (`session.refresh_before_expiry`).
    package var refreshBeforeExpiry: Duration
    /// Live sessions per user (`session.max_per_user`); a login beyond it ends that user's oldest. 0 is no limit.
    package var maxPerUser: Int
    /// AES-256 keys, 32 bytes each; the first encrypts, all decrypt (`session.encryption_keys`
    /// or `session.encryption_keys_file`, one base64 key per line).
    package var encryptionKeys: [ConfigSecret<[UInt8]>]

    /// Default `session.cookie_name` for an https `public_url`.
    package static let defaultSecureCookieName = "__Host-Http-gatehouse"
    /// Default `session.cookie_name` for an http `public_url`.
    package static let defaultPlainCookieName = "gatehouse"

    /// The default cookie name for a `public_url` served over https or not.
    package static func defaultCookieName(isHTTPS: Bool) -> String {
        isHTTPS ? defaultSecureCookieName : defaultPlainCookieName
    }

    /// Creates settings; the defaults are those of PRODUCT.md.
    package init(
        store: SessionStoreSetting,
        cookieName: String = Self.defaultSecureCookieName,
        sameSite: SameSitePolicy = .strict,
        idleTimeout: Duration = .seconds(30 * 60),
        absoluteTimeout: Duration = .seconds(12 * 3600),
        refreshBeforeExpiry: Duration = .seconds(60),
        maxPerUser: Int = 0,
        encryptionKeys: [ConfigSecret<[UInt8]>]
    ) {
        self.store = store
        self.cookieName = cookieName
        self.sameSite = sameSite
        self.idleTimeout = idleTimeout
        self.absoluteTimeout = absoluteTimeout
        self.refreshBeforeExpiry = refreshBeforeExpiry
        self.maxPerUser = maxPerUser
        self.encryptionKeys = encryptionKeys
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

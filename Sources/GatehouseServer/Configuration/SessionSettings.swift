/// Where sessions live, how long, and the cookie that names them (`session`).
package struct SessionSettings: Sendable, Hashable {
    /// `memory` or Redis (`session.store` or `session.store_file`).
    package var store: SessionStoreSetting
    /// The session cookie's name (`session.cookie_name`); by default `__Host-Http-gatehouse`
    /// on https and `gatehouse` on http, where `__Host-` cookies cannot be set.
    package var cookieName: String
    /// The cookie's `SameSite` (`session.same_site`), default strict.
    package var sameSite: SameSitePolicy
    /// Sliding inactivity limit (`session.idle_timeout`), default 30 minutes.
    package var idleTimeout: Duration
    /// Hard limit from login (`session.absolute_timeout`), default 12 hours.
    package var absoluteTimeout: Duration
    /// Refresh access tokens expiring within this (`session.refresh_before_expiry`), default 60 seconds.
    package var refreshBeforeExpiry: Duration
    /// Live sessions per user (`session.max_per_user`); a login beyond it ends that user's oldest. 0, the default, is no limit.
    package var maxPerUser: Int
    /// AES-256 keys, 32 bytes each; the first encrypts, all decrypt (`session.encryption_keys`
    /// or `session.encryption_keys_file`, one base64 key per line).
    package var encryptionKeys: [ConfigSecret<[UInt8]>]

    /// Default `session.cookie_name` for an https `public_url`.
    package static let defaultSecureCookieName = "__Host-Http-gatehouse"
    /// Default `session.cookie_name` for an http `public_url`.
    package static let defaultPlainCookieName = "gatehouse"
    /// Default for `session.idle_timeout`.
    package static let defaultIdleTimeout = Duration.seconds(30 * 60)
    /// Default for `session.absolute_timeout`.
    package static let defaultAbsoluteTimeout = Duration.seconds(12 * 3600)
    /// Default for `session.refresh_before_expiry`.
    package static let defaultRefreshBeforeExpiry = Duration.seconds(60)

    /// The default cookie name for a `public_url` served over https or not.
    package static func defaultCookieName(isHTTPS: Bool) -> String {
        isHTTPS ? defaultSecureCookieName : defaultPlainCookieName
    }

    /// Creates settings; defaults are those of PRODUCT.md.
    package init(
        store: SessionStoreSetting,
        cookieName: String = Self.defaultSecureCookieName,
        sameSite: SameSitePolicy = .strict,
        idleTimeout: Duration = Self.defaultIdleTimeout,
        absoluteTimeout: Duration = Self.defaultAbsoluteTimeout,
        refreshBeforeExpiry: Duration = Self.defaultRefreshBeforeExpiry,
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

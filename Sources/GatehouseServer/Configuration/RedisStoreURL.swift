package import GatehouseSessions

/// A validated `redis://[user:password@]host:port/db` or `rediss://…` URL (`session.store`),
/// read by the Redis URL parser GatehouseRedis uses too.
///
/// The whole URL is kept as a secret because it may carry a password; `description`
/// and the mirror show it with the password replaced.
package struct RedisStoreURL: Sendable, Hashable, CustomStringConvertible {
    /// The URL exactly as configured.
    package var url: ConfigSecret<String>
    /// Its parts, as GatehouseRedis connects to them.
    package var parts: RedisURL

    /// Host name or IP address (IPv6 without brackets).
    package var host: String { parts.host }
    /// TCP port; 6379 when the URL names none.
    package var port: Int { parts.port }
    /// The user for `AUTH user password`, when given.
    package var user: String? { parts.user }
    /// The password, when given.
    package var password: ConfigSecret<String>? { parts.password.map(ConfigSecret.init) }
    /// The database index from the path; 0 when the URL has none.
    package var database: Int { parts.database }
    /// Whether the scheme is `rediss` (TLS).
    package var usesTLS: Bool { parts.usesTLS }

    /// Pairs a URL with its parts.
    package init(url: ConfigSecret<String>, parts: RedisURL) {
        self.url = url
        self.parts = parts
    }

    /// Creates a value from its parts; the loader parses them from the configured URL.
    package init(
        url: ConfigSecret<String>, host: String, port: Int = 6379, user: String? = nil, password: ConfigSecret<String>? = nil,
        database: Int = 0, usesTLS: Bool = false
    ) {
        self.init(url: url, parts: RedisURL(host: host, port: port, user: user, password: password?.value, database: database, usesTLS: usesTLS))
    }

    /// The URL with any password replaced by `<redacted>`.
    package var description: String { parts.description }
}

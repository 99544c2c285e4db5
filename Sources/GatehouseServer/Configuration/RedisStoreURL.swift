/// A validated `redis://[user:password@]host:port/db` or `rediss://…` URL (`session.store`).
///
/// The whole URL is kept as a secret because it may carry a password; `description`
/// shows it with the password replaced.
package struct RedisStoreURL: Sendable, Hashable, CustomStringConvertible {
    /// The URL exactly as configured, for the Redis client to parse.
    package var url: ConfigSecret<String>
    /// Host name or IP address (IPv6 without brackets).
    package var host: String
    /// TCP port; 6379 when the URL names none.
    package var port: Int
    /// The user for `AUTH user password`, when given.
    package var user: String?
    /// The password, when given.
    package var password: ConfigSecret<String>?
    /// The database index from the path; 0 when the URL has none.
    package var database: Int
    /// Whether the scheme is `rediss` (TLS).
    package var usesTLS: Bool

    /// Creates a value from its parts; the loader builds it from the configured URL.
    package init(
        url: ConfigSecret<String>,
        host: String,
        port: Int = 6379,
        user: String? = nil,
        password: ConfigSecret<String>? = nil,
        database: Int = 0,
        usesTLS: Bool = false
    ) {
        self.url = url
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
        self.usesTLS = usesTLS
    }

    /// The URL with any password replaced by `<redacted>`.
    package var description: String {
        let credentials = password == nil ? "" : "\(user ?? ""):<redacted>@"
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return "\(usesTLS ? "rediss" : "redis")://\(credentials)\(hostPart):\(port)/\(database)"
    }
}

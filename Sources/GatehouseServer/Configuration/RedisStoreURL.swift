/// A validated `redis://[user:password@]host:port/db` or `rediss://…` URL (`session.store`).
///
/// The whole URL is kept as a secret because it may carry a password; `description`
/// shows it with the password replaced.
public struct RedisStoreURL: Sendable, Hashable, CustomStringConvertible {
    /// The URL exactly as configured, for the Redis client to parse.
    public var url: ConfigSecret<String>
    /// Host name or IP address (IPv6 without brackets).
    public var host: String
    /// TCP port; 6379 when the URL names none.
    public var port: Int
    /// The user for `AUTH user password`, when given.
    public var user: String?
    /// The password, when given.
    public var password: ConfigSecret<String>?
    /// The database index from the path; 0 when the URL has none.
    public var database: Int
    /// Whether the scheme is `rediss` (TLS).
    public var usesTLS: Bool

    /// Creates a value from its parts; the loader builds it from the configured URL.
    public init(
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
    public var description: String {
        let credentials = password == nil ? "" : "\(user ?? ""):<redacted>@"
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return "\(usesTLS ? "rediss" : "redis")://\(credentials)\(hostPart):\(port)/\(database)"
    }
}

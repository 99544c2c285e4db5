package import Foundation

/// Where a Redis session store is: `redis://[user:password@]host[:port][/db]` or `rediss://…` (TLS).
///
/// The one parser of Redis URLs. The configuration uses it to validate `session.store`
/// offline and GatehouseRedis to connect, so both read every URL the same way. It lives
/// here because both depend on this module and GatehouseServer must not import
/// GatehouseRedis. `description` and the mirror show the URL with the password replaced.
package struct RedisURL: Sendable, Hashable, CustomStringConvertible, CustomReflectable {
    /// Host name or IP address (IPv6 without brackets).
    package var host: String
    /// TCP port; 6379 when the URL names none.
    package var port: Int
    /// The user for `AUTH user password`, when given.
    package var user: String?
    /// The password, when given.
    package var password: String?
    /// The database index from the path; 0 when the URL has none.
    package var database: Int
    /// Whether the scheme is `rediss` (TLS).
    package var usesTLS: Bool

    /// Creates a value from its parts.
    package init(host: String, port: Int = 6379, user: String? = nil, password: String? = nil, database: Int = 0, usesTLS: Bool = false) {
        (self.host, self.port, self.user, self.password, self.database, self.usesTLS) = (host, port, user, password, database, usesTLS)
    }

    /// Parses `text`; the error says what is wrong without repeating the URL, which may hold a password.
    package init(parsing text: String) throws(RedisURLError) {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            throw RedisURLError("expected memory, redis://[user:password@]host:port/db or rediss://…")
        }
        guard scheme == "redis" || scheme == "rediss" else { throw RedisURLError("scheme must be redis or rediss, not \(scheme)") }
        guard var host = components.host, !host.isEmpty else { throw RedisURLError("the Redis URL has no host") }
        // URLComponents keeps IPv6 brackets in `host`; sockets want them off.
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        let port = components.port ?? 6379
        guard (1...65535).contains(port) else { throw RedisURLError("the Redis URL's port is out of range") }
        // `redis://:password@host` is a password for the default user.
        let user = components.percentEncodedUser.flatMap { $0.removingPercentEncoding }.flatMap { $0.isEmpty ? nil : $0 }
        let password = components.percentEncodedPassword.flatMap { $0.removingPercentEncoding }
        guard user == nil || password != nil else { throw RedisURLError("the Redis URL names a user but no password") }
        guard components.percentEncodedQuery == nil, components.percentEncodedFragment == nil else {
            throw RedisURLError("the Redis URL must not have a query or fragment")
        }
        let path = components.percentEncodedPath.drop { $0 == "/" }
        guard path.isEmpty || (path.count <= 5 && path.allSatisfy { ("0"..."9").contains($0) }) else {
            throw RedisURLError("the Redis URL's path must be a database number, as in redis://host:6379/0")
        }
        self.init(host: host, port: port, user: user, password: password, database: Int(path) ?? 0, usesTLS: scheme == "rediss")
    }

    /// The URL with any password replaced by `<redacted>`.
    package var description: String {
        let credentials = password == nil ? "" : "\(user ?? ""):<redacted>@"
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return "\(usesTLS ? "rediss" : "redis")://\(credentials)\(hostPart):\(port)/\(database)"
    }

    /// Only the redacted URL, so `dump` shows no password.
    package var customMirror: Mirror { Mirror(self, children: ["url": description]) }
}

/// Why a Redis URL is unusable; the message never contains the URL.
package struct RedisURLError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong, for a person to read.
    package var description: String

    init(_ description: String) {
        self.description = description
    }
}

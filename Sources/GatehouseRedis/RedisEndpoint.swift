import Foundation

/// Where and how to reach Redis, parsed from `redis://[user:pass@]host:port/db`
/// or `rediss://…` (TLS). The password never appears in `description`.
package struct RedisEndpoint: Sendable, Hashable, CustomStringConvertible {
    package var host: String
    package var port: Int
    package var user: String?
    package var password: String?
    package var database: Int
    package var usesTLS: Bool

    package init(host: String, port: Int = 6379, user: String? = nil, password: String? = nil, database: Int = 0, usesTLS: Bool = false) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
        self.usesTLS = usesTLS
    }

    /// Parses a Redis URL; the error says what is wrong without repeating the URL.
    package init(url: String) throws(RedisClientError) {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased() else {
            throw .invalidURL("expected redis://[user:password@]host:port/db or rediss://…")
        }
        switch scheme {
        case "redis": usesTLS = false
        case "rediss": usesTLS = true
        default: throw .invalidURL("scheme must be redis or rediss, not \(scheme)")
        }
        guard let host = components.host, !host.isEmpty else {
            throw .invalidURL("missing host")
        }
        // URLComponents keeps IPv6 brackets in `host`; sockets want them off.
        self.host = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        self.port = components.port ?? 6379
        guard (1...65535).contains(port) else { throw .invalidURL("port out of range") }
        let user = components.percentEncodedUser.flatMap { $0.removingPercentEncoding }
        let password = components.percentEncodedPassword.flatMap { $0.removingPercentEncoding }
        // `redis://:password@host` is a password with the default user.
        self.user = (user?.isEmpty ?? true) ? nil : user
        self.password = password
        if self.user != nil && self.password == nil {
            throw .invalidURL("a user name needs a password")
        }
        let path = components.path.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        if path.isEmpty {
            database = 0
        } else if let database = Int(path), database >= 0 {
            self.database = database
        } else {
            throw .invalidURL("database must be a number, as in redis://host:6379/0")
        }
    }

    /// Whether `host` is a literal IPv4 or IPv6 address (no TLS server name then).
    var isIPAddress: Bool {
        host.contains(":") || host.split(separator: ".").count == 4 && host.allSatisfy { $0.isNumber || $0 == "." }
    }

    package var description: String {
        let credentials = password == nil ? "" : "\(user ?? ""):<redacted>@"
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return "\(usesTLS ? "rediss" : "redis")://\(credentials)\(hostPart):\(port)/\(database)"
    }
}

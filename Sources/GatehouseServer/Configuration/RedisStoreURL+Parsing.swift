import Foundation

extension RedisStoreURL {
    /// Parses `redis://[user:password@]host[:port][/db]` or `rediss://…`.
    /// The failure says what is wrong without repeating the URL, which may hold a password.
    static func parse(_ text: String) -> Result<RedisStoreURL, ParseFailure> {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            return .failure(ParseFailure(message: "expected memory, redis://[user:password@]host:port/db or rediss://…"))
        }
        let usesTLS: Bool
        switch scheme {
        case "redis": usesTLS = false
        case "rediss": usesTLS = true
        default: return .failure(ParseFailure(message: "scheme must be redis or rediss, not \(scheme)"))
        }
        guard var host = components.host, !host.isEmpty else {
            return .failure(ParseFailure(message: "the Redis URL has no host"))
        }
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        let port = components.port ?? 6379
        guard (1...65535).contains(port) else {
            return .failure(ParseFailure(message: "the Redis URL's port is out of range"))
        }
        let user = components.percentEncodedUser.flatMap { $0.removingPercentEncoding }.flatMap { $0.isEmpty ? nil : $0 }
        let password = components.percentEncodedPassword.flatMap { $0.removingPercentEncoding }
        if user != nil && password == nil {
            return .failure(ParseFailure(message: "the Redis URL names a user but no password"))
        }
        guard components.percentEncodedQuery == nil, components.percentEncodedFragment == nil else {
            return .failure(ParseFailure(message: "the Redis URL must not have a query or fragment"))
        }
        let path = components.percentEncodedPath.drop { $0 == "/" }
        let database: Int
        if path.isEmpty {
            database = 0
        } else if path.count <= 5, path.allSatisfy(\.isASCIIDigit), let number = Int(path) {
            database = number
        } else {
            return .failure(ParseFailure(message: "the Redis URL's path must be a database number, as in redis://host:6379/0"))
        }
        return .success(
            RedisStoreURL(
                url: ConfigSecret(text),
                host: host,
                port: port,
                user: user,
                password: password.map(ConfigSecret.init),
                database: database,
                usesTLS: usesTLS
            )
        )
    }

    /// Why a Redis URL is unusable; never contains the URL.
    struct ParseFailure: Error {
        var message: String
    }
}

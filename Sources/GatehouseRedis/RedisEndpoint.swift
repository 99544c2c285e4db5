package import GatehouseSessions

/// Where and how to reach Redis: the parts of a `redis://` or `rediss://` URL, parsed by
/// the one Redis URL parser that the configuration's `session.store` check uses too.
package typealias RedisEndpoint = RedisURL

extension RedisURL {
    /// Parses a Redis URL; the error says what is wrong without repeating the URL.
    package init(url: String) throws(RedisClientError) {
        do {
            try self.init(parsing: url)
        } catch {
            throw .invalidURL(error.description)
        }
    }

    /// Whether `host` is a literal IPv4 or IPv6 address (no TLS server name then).
    var isIPAddress: Bool {
        host.contains(":") || host.split(separator: ".").count == 4 && host.allSatisfy { $0.isNumber || $0 == "." }
    }
}

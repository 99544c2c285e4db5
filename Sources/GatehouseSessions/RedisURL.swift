package import Foundation

/// Where a Redis session store is: `redis://[user:password@]host[:port][/db]` or `rediss://…` (TLS),
/// or a master found through sentinels:
/// `redis+sentinel://[user:password@]host:26379[,host:26379…]/MASTER_NAME[/db]` (`rediss+sentinel://`).
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
    /// One server, or a master that sentinels name (then `host` and `port` are the first sentinel's).
    package var topology: Topology

    /// A `host:port` pair.
    package struct Address: Sendable, Hashable, CustomStringConvertible {
        package var host: String
        package var port: Int
        package init(host: String, port: Int) {
            (self.host, self.port) = (host, port)
        }

        package var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
    }

    /// How the server that takes writes is found.
    package enum Topology: Sendable, Hashable {
        /// `host:port` is the server.
        case standalone
        /// Ask `sentinels` (in order) for the address of the master they call `masterName`.
        case sentinel(masterName: String, sentinels: [Address])
        /// A Redis Cluster: ask `seeds` (in order) which node serves which hash slot.
        case cluster(seeds: [Address])
    }

    /// Creates a value from its parts.
    package init(
        host: String, port: Int = 6379, user: String? = nil, password: String? = nil, database: Int = 0, usesTLS: Bool = false,
        topology: Topology = .standalone
    ) {
        (self.host, self.port, self.user, self.password, self.database, self.usesTLS) = (host, port, user, password, database, usesTLS)
        self.topology = topology
    }

    /// Whether this names a Redis Cluster (`redis+cluster://`).
    package var isCluster: Bool {
        if case .cluster = topology { return true }
        return false
    }

    /// The same credentials, database and TLS at another address, as one server.
    package func at(_ address: Address) -> RedisURL {
        RedisURL(host: address.host, port: address.port, user: user, password: password, database: database, usesTLS: usesTLS)
    }

    /// Parses `text`; the error says what is wrong without repeating the URL, which may hold a password.
    package init(parsing text: String) throws(RedisURLError) {
        let lowered = text.lowercased()
        for scheme in ["redis+sentinel", "rediss+sentinel", "redis+cluster", "rediss+cluster"] where lowered.hasPrefix(scheme + "://") {
            try self.init(multiHostURL: text, usesTLS: scheme.hasPrefix("rediss"), cluster: scheme.hasSuffix("cluster"))
            return
        }
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            throw RedisURLError("expected memory, redis://[user:password@]host:port/db, rediss://…, redis+sentinel://host:26379,…/MASTER_NAME or redis+cluster://host:port,…")
        }
        guard scheme == "redis" || scheme == "rediss" else {
            throw RedisURLError("scheme must be redis, rediss, redis+sentinel, rediss+sentinel, redis+cluster or rediss+cluster, not \(scheme)")
        }
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

    /// `redis+sentinel://` and `redis+cluster://` have several hosts, which URLComponents does not
    /// read; the rest of the rules are those of `redis://`.
    private init(multiHostURL text: String, usesTLS: Bool, cluster: Bool) throws(RedisURLError) {
        var rest = Substring(text[text.range(of: "://")!.upperBound...])
        guard !rest.contains("?"), !rest.contains("#") else { throw RedisURLError("the Redis URL must not have a query or fragment") }
        let pathStart = rest.firstIndex(of: "/") ?? rest.endIndex
        var authority = rest[..<pathStart]
        rest = rest[pathStart...]
        var user: String?
        var password: String?
        if let at = authority.lastIndex(of: "@") {
            let credentials = authority[..<at]
            authority = authority[authority.index(after: at)...]
            let colon = credentials.firstIndex(of: ":")
            guard let decodedUser = String(credentials[..<(colon ?? credentials.endIndex)]).removingPercentEncoding,
                  colon.map({ String(credentials[credentials.index(after: $0)...]).removingPercentEncoding != nil }) ?? true
            else { throw RedisURLError("the Redis URL's user or password has a malformed percent escape") }
            user = decodedUser.isEmpty ? nil : decodedUser
            password = colon.flatMap { String(credentials[credentials.index(after: $0)...]).removingPercentEncoding }
            guard user == nil || password != nil else { throw RedisURLError("the Redis URL names a user but no password") }
        }
        var hosts: [Address] = []
        for item in authority.split(separator: ",", omittingEmptySubsequences: false) {
            guard let components = URLComponents(string: "redis://\(item)"), var host = components.host, !host.isEmpty,
                  components.user == nil, components.path.isEmpty
            else {
                throw RedisURLError(cluster
                    ? "each cluster node must be host:port, as in redis+cluster://10.0.0.1:6379,10.0.0.2:6379"
                    : "each sentinel must be host:port, as in redis+sentinel://10.0.0.1:26379,10.0.0.2:26379/mymaster")
            }
            if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
            let port = components.port ?? (cluster ? 6379 : 26379)
            guard (1...65535).contains(port) else { throw RedisURLError(cluster ? "a cluster node's port is out of range" : "a sentinel's port is out of range") }
            hosts.append(Address(host: host, port: port))
        }
        if cluster {
            // A cluster has only database 0.
            guard rest.isEmpty || rest == "/" || rest == "/0" else {
                throw RedisURLError("a Redis Cluster has only database 0: redis+cluster://host:port,… takes no other path")
            }
            self.init(
                host: hosts[0].host, port: hosts[0].port, user: user, password: password, database: 0, usesTLS: usesTLS,
                topology: .cluster(seeds: hosts)
            )
            return
        }
        let path = rest.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        guard let name = path.first, !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || "._-".contains($0) }), name.allSatisfy(\.isASCII) else {
            throw RedisURLError("the sentinel URL's path must name the master, as in redis+sentinel://host:26379/mymaster")
        }
        var database = 0
        if path.count > 1 {
            let number = path[path.index(after: path.startIndex)]
            guard path.count == 2, !number.isEmpty, number.count <= 5, number.allSatisfy({ ("0"..."9").contains($0) }) else {
                throw RedisURLError("after the master name the sentinel URL's path may only hold a database number, as in /mymaster/0")
            }
            database = Int(number)!
        }
        self.init(
            host: hosts[0].host, port: hosts[0].port, user: user, password: password, database: database, usesTLS: usesTLS,
            topology: .sentinel(masterName: String(name), sentinels: hosts)
        )
    }

    /// The URL with any password replaced by `<redacted>`.
    package var description: String {
        let credentials = password == nil ? "" : "\(user ?? ""):<redacted>@"
        switch topology {
        case .standalone:
            return "\(usesTLS ? "rediss" : "redis")://\(credentials)\(Address(host: host, port: port))/\(database)"
        case .sentinel(let name, let sentinels):
            return "\(usesTLS ? "rediss" : "redis")+sentinel://\(credentials)\(sentinels.map(\.description).joined(separator: ","))/\(name)/\(database)"
        case .cluster(let seeds):
            return "\(usesTLS ? "rediss" : "redis")+cluster://\(credentials)\(seeds.map(\.description).joined(separator: ","))"
        }
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

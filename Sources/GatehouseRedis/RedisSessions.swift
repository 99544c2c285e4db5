package import GatehouseSessions
package import Logging
package import ServiceLifecycle

/// Sessions on Redis as `session.store` names it — one server, a master behind Sentinel, or a
/// Cluster: the client for that topology and the store and refresh lock over it. What `serve`,
/// `check-config --live` and the multi-replica tests all build from a URL.
package struct RedisSessions: Sendable {
    package let store: RedisSessionStore
    package let lock: RedisRefreshLock
    /// The client's own service (its connections, and behind Sentinel the master follower).
    package let client: any Service
    private let commands: any RedisCommands
    private let cluster: RedisClusterClient?
    private let single: RedisClient?

    package init(endpoint: RedisEndpoint, logger: Logger) throws {
        if endpoint.isCluster {
            let cluster = try RedisClusterClient(configuration: RedisConfiguration(endpoint: endpoint), logger: logger)
            (self.cluster, self.single, self.commands, self.client) = (cluster, nil, cluster, cluster)
            (store, lock) = (RedisSessionStore(cluster: cluster), RedisRefreshLock(cluster: cluster, logger: logger))
        } else {
            let single = try RedisClient(configuration: RedisConfiguration(endpoint: endpoint), logger: logger)
            (self.cluster, self.single, self.commands, self.client) = (nil, single, single, single)
            (store, lock) = (RedisSessionStore(client: single), RedisRefreshLock(client: single, logger: logger))
        }
    }

    /// Whether Redis answers (on a cluster: the slot map is read and a node answers); throws why not.
    package func checkReady() async throws {
        if let cluster { try await cluster.refreshSlots() }
        try await commands.ping()
    }

    /// `INFO server`'s version, for `check-config --live`.
    package func serverVersion() async throws -> String {
        try await commands.serverVersion()
    }

    /// Where the master is (Sentinel) or what the cluster serves; `nil` for one server.
    package func topologySummary() async throws -> String? {
        if let cluster { return try await cluster.topologySummary() }
        return try await single?.topologySummary()
    }

    /// Connected connections now (the pool gauge).
    package var connectedConnections: Int {
        cluster?.connectedConnections ?? single?.connectedConnections ?? 0
    }

    package func shutdown() async {
        await cluster?.shutdown()
        await single?.shutdown()
    }
}

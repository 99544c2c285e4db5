import GatehouseRedis
import GatehouseServer
import GatehouseSessions
import Logging
import ServiceLifecycle

/// Wiring shared by `serve` and `demo`: the session backend the configuration names, the one
/// composition root (`buildApplication`), and every service in one group that drains on
/// SIGTERM/SIGINT. Services stop in reverse order, so the listeners drain before the clients close.
enum GatehouseRuntime {
    static func run(
        configuration: GatehouseConfiguration,
        logger: Logger,
        logLevel: LogLevelControl? = nil,
        reload: (@Sendable () throws(ConfigurationError) -> GatehouseConfiguration)? = nil,
        extraServices: [any Service] = [],
        onPublicServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        let server = try buildApplication(
            configuration: configuration, sessions: try sessionBackend(configuration.session.store, logger: logger),
            logger: logger, reload: reload, logLevel: logLevel, onPublicServerRunning: onPublicServerRunning
        )
        let group = ServiceGroup(configuration: .init(
            services: (extraServices + server.services).map { .init(service: $0) },
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        ))
        try await group.run()
    }

    /// Memory, or Redis (one server, behind Sentinel, or a Cluster) with its client, store, refresh
    /// lock and the two pub/sub subscribers.
    static func sessionBackend(_ setting: SessionStoreSetting, logger: Logger) throws -> SessionBackend {
        switch setting {
        case .memory:
            return .memory()
        case .redis(let url) where url.parts.isCluster:
            let client = try RedisClusterClient(configuration: RedisConfiguration(endpoint: url.parts), logger: logger)
            let store = RedisSessionStore(cluster: client)
            let lock = RedisRefreshLock(cluster: client, logger: logger)
            let endings = SessionEndings()
            let ended = store.endedSessions(announcingTo: endings, logger: logger)
            return SessionBackend(
                store: store, refreshLock: lock, endings: endings,
                readiness: {
                    do {
                        try await client.refreshSlots()
                        try await client.ping()
                        return nil
                    } catch {
                        return "\(error)"
                    }
                },
                connectedConnections: { client.connectedConnections },
                services: [client, ended, lock.subscriber]
            )
        case .redis(let url):
            let client = try RedisClient(configuration: RedisConfiguration(endpoint: url.parts), logger: logger)
            let store = RedisSessionStore(client: client)
            let lock = RedisRefreshLock(client: client, logger: logger)
            // Sessions ended on any replica leave every replica's cache, and close their streams, at once.
            let endings = SessionEndings()
            let ended = store.endedSessions(announcingTo: endings, logger: logger)
            return SessionBackend(
                store: store, refreshLock: lock, endings: endings,
                readiness: {
                    do {
                        try await client.ping()
                        return nil
                    } catch {
                        return "\(error)"
                    }
                },
                connectedConnections: { client.connectedConnections },
                services: [client, ended, lock.subscriber]
            )
        }
    }
}

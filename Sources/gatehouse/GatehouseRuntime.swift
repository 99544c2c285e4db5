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
        case .redis(let url):
            let redis = try RedisSessions(endpoint: url.parts, logger: logger)
            // Sessions ended on any replica leave every replica's cache, and close their streams, at once.
            let endings = SessionEndings()
            let ended = redis.store.endedSessions(announcingTo: endings, logger: logger)
            return SessionBackend(
                store: redis.store, refreshLock: redis.lock, endings: endings,
                readiness: {
                    do {
                        try await redis.checkReady()
                        return nil
                    } catch {
                        return "\(error)"
                    }
                },
                connectedConnections: { redis.connectedConnections },
                services: [redis.client, ended, redis.lock.subscriber]
            )
        }
    }
}

import AsyncHTTPClient
import GatehouseRedis
import GatehouseServer
import GatehouseSessions
import Logging
import NIOPosix
import ServiceLifecycle

/// Wiring shared by `serve` and `demo`: the session store the configuration
/// names, one HTTP client, and every service in one group that drains on
/// SIGTERM/SIGINT. Services stop in reverse order, so Redis closes last.
enum GatehouseRuntime {
    static func run(
        configuration: GatehouseConfiguration,
        logger: Logger,
        extraServices: [any Service] = [],
        onPublicServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        var clientConfiguration = HTTPClient.Configuration(redirectConfiguration: .disallow)
        // AsyncHTTPClient keeps 8 connections per upstream by default; a proxy needs one per
        // request in flight, or requests queue behind each other at a slow upstream.
        clientConfiguration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 256
        let httpClient = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: clientConfiguration)
        var services: [any Service] = []
        let store: any SessionStore
        var refreshLock: any RefreshLock = MemoryRefreshLock()
        let sessionCache = SessionCache()
        let readiness: @Sendable () async -> String?
        var redisConnections: (@Sendable () -> Int)?
        switch configuration.session.store {
        case .memory:
            // Linked, so a refresh's write-back is fenced by the same leases the lock hands out.
            let memory = MemorySessionStore()
            store = memory
            refreshLock = memory.refreshLock
            readiness = { nil }
        case .redis(let url):
            let client = try RedisClient(configuration: RedisConfiguration(endpoint: url.parts), logger: logger)
            services.append(client)
            redisConnections = { client.connectedConnections }
            let redisStore = RedisSessionStore(client: client)
            store = redisStore
            // Sessions ended on any replica leave every replica's cache at once.
            services.append(redisStore.endedSessions(logger: logger, onEnded: { sessionCache.remove($0) }, onGap: { sessionCache.removeAll() }))
            let lock = RedisRefreshLock(client: client, logger: logger)
            services.append(lock.subscriber)
            refreshLock = lock
            readiness = {
                do {
                    try await client.ping()
                    return nil
                } catch {
                    return "\(error)"
                }
            }
        }
        let server = try GatehouseServer(
            configuration: configuration, store: store, refreshLock: refreshLock, sessionCache: sessionCache, storeReadiness: readiness, redisConnections: redisConnections,
            httpClient: httpClient, logger: logger, onPublicServerRunning: onPublicServerRunning
        )
        services += extraServices + server.services
        let group = ServiceGroup(configuration: .init(
            services: services.map { .init(service: $0) },
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        ))
        do {
            try await group.run()
        } catch {
            try? await httpClient.shutdown()
            throw error
        }
        try await httpClient.shutdown()
    }
}

package import AsyncHTTPClient
import Foundation
package import GatehouseOAuth
package import GatehouseSessions
package import Hummingbird
import HummingbirdCore
import NIOPosix
package import Logging
import OTel
package import ServiceLifecycle

/// Everything the public listener serves, in order: the API proxy for configured
/// routes (with its own CSRF check, security headers and metrics), then for the
/// rest metrics, security headers on every answer, the SPA's files and the BFF
/// endpoints (each with its own exact path and CSRF check). The request target was
/// already checked below Hummingbird (``RequestHeadGuard``).
package func buildGatehouseRouter(
    controller: BFFController,
    routes: LiveRoutes = LiveRoutes(RouteTable([])),
    tokens: TokenService? = nil,
    clientTokens: ClientTokenService? = nil,
    upstreams: UpstreamClient = UpstreamClient(),
    staticDirectory: String? = nil,
    tracing: RequestTracing? = nil
) -> Router<GatehouseRequestContext> {
    let router = Router(context: GatehouseRequestContext.self)
    let configuration = controller.configuration
    let headers = SecurityHeaders(publicURLIsHTTPS: configuration.isHTTPS)
    // Outermost, so every other step runs inside the request's span.
    if let tracing {
        router.add(middleware: RequestSpanMiddleware(tracing: tracing, routes: routes, cookieName: configuration.session.cookieName))
    }
    // API routes first: the proxy applies CSRF, security headers and metrics itself. It is there
    // even without routes, because a reload may add some.
    if let tokens {
        let clientTokens = clientTokens ?? ClientTokenService(
            provider: controller.provider, transport: controller.transport, configuration: configuration, metrics: controller.metrics
        )
        let bearers = BearerResolver(controller: controller, tokens: tokens, clientTokens: clientTokens)
        router.add(middleware: APIProxyMiddleware(routes: routes, controller: controller, bearers: bearers, upstreams: upstreams, tracing: tracing))
    }
    router.add(middleware: MetricsMiddleware(metrics: controller.metrics, routes: routes))
    router.add(middleware: SecurityHeadersMiddleware(headers))
    if let staticDirectory {
        router.add(middleware: StaticFileMiddleware(folder: staticDirectory, securityHeaders: headers) { path, context in
            (context.routes ?? routes.current).route(for: path) != nil
        })
    }
    controller.addRoutes(to: router)
    return router
}

/// The admin listener: `/healthz` (the process is up), `/metrics` (Prometheus text), `/readyz` (the
/// session store answers and provider metadata is loaded; 503 with the reason) and, with
/// `admin.token`, `/admin/sessions`.
func buildAdminRouter(
    provider: OIDCProvider,
    metrics: GatehouseMetrics,
    storeReadiness: @escaping @Sendable () async -> String?,
    sessions: AdminSessionsAPI?,
    beforeScrape: @escaping @Sendable () -> Void = {}
) -> Router<BasicRequestContext> {
    let router = Router(context: BasicRequestContext.self)
    sessions?.addRoutes(to: router)
    router.get("healthz") { _, _ in
        Response(status: .ok, headers: [.contentType: "text/plain"], body: .init(byteBuffer: ByteBuffer(string: "ok\n")))
    }
    router.get("metrics") { _, _ in
        beforeScrape()
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: metrics.exposition()))
        )
    }
    router.get("readyz") { _, _ in
        var problems: [String] = []
        if let reason = await storeReadiness() { problems.append("session store: \(reason)") }
        if let reason = await provider.notReadyReason() { problems.append("provider: \(reason)") }
        let text = problems.isEmpty ? "ready\n" : problems.joined(separator: "\n") + "\n"
        return Response(
            status: problems.isEmpty ? .ok : .serviceUnavailable,
            headers: [.contentType: "text/plain", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: text))
        )
    }
    return router
}

/// Gatehouse assembled from its configuration — the one composition root that `serve`, `demo`,
/// the integration tests and the unit tests all call, so tests run what production runs.
///
/// - Parameters:
///   - sessions: the store, its lock and their services (the executable picks Redis or memory).
///   - transport: the provider's transport; by default HTTP through the application's own client
///     (a unit test passes an in-memory token endpoint).
///   - onPublicServerRunning: called with the public port once it listens.
/// - Returns: the assembled server; run its ``GatehouseServer/services`` in one `ServiceGroup`.
package func buildApplication(
    configuration: GatehouseConfiguration,
    sessions: SessionBackend,
    logger: Logger,
    transport: (any OAuthTransport)? = nil,
    reload: (@Sendable () throws(ConfigurationError) -> GatehouseConfiguration)? = nil,
    logLevel: LogLevelControl? = nil,
    onPublicServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) throws -> GatehouseServer {
    let telemetry = try TelemetryBackend.make(configuration.telemetry, logger: logger)
    let tracing = telemetry?.tracing
    var logger = logger
    if tracing != nil {
        // Log lines written while a request is handled carry its trace and span ids.
        let traceIDs = OTel.makeLoggingMetadataProvider()
        logger.handler.metadataProvider = logger.metadataProvider.map { .multiplex([$0, traceIDs]) } ?? traceIDs
    }
    var sessions = sessions
    if let tracing {
        sessions.store = TracedSessionStore(base: sessions.store, tracing: tracing)
    }
    // The provider's client (upstreams, http and https, go through the UpstreamClient). AsyncHTTPClient
    // keeps 8 connections per host by default: refreshes of many sessions at once would queue.
    var clientConfiguration = HTTPClient.Configuration(redirectConfiguration: .disallow)
    clientConfiguration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 256
    clientConfiguration.tlsConfiguration = outboundTLS()
    let httpClient = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: clientConfiguration)
    let untraced = transport ?? HTTPClientTransport(client: httpClient)
    let transport: any OAuthTransport = tracing.map { TracedTransport(base: untraced, tracing: $0) } ?? untraced
    var providerSettings = OIDCProvider.Settings(
        issuer: GatehouseServer.issuerString(configuration.oidc.issuer), clientID: configuration.oidc.clientID,
        authentication: try ClientAuthentication(configuration.oidc), timeout: configuration.timings.providerCall
    )
    providerSettings.requiredACRValues = Set(configuration.routes.flatMap { $0.require?.acr ?? [] })
    providerSettings.pushedAuthorization = configuration.oidc.pushedAuthorization
    let provider = OIDCProvider(settings: providerSettings, transport: transport, logger: logger)
    let cipher = try SessionCipher(keys: configuration.session.encryptionKeys.map { try SessionCipherKey(bytes: $0.value) })
    let vault = SessionVault(store: sessions.store, cipher: cipher, timeouts: configuration.sessionTimeouts, cache: sessions.cache)
    let metrics = GatehouseMetrics()
    let controller = BFFController(configuration: configuration, vault: vault, provider: provider, transport: transport, metrics: metrics)
    // A session that ended anywhere leaves this replica's cache and closes its streams here.
    // Weakly: with the memory store the store holds the listener, and the streams hold the store.
    let (cache, streams) = (sessions.cache, controller.streams)
    sessions.endings.listen(
        ended: { [weak streams] key in
            cache?.remove(key)
            streams?.ended(key)
        },
        gap: { [weak streams] in
            cache?.removeAll()
            streams?.gap()
        }
    )
    let tokens = TokenService(vault: vault, lock: sessions.refreshLock, provider: provider, transport: transport, configuration: configuration, metrics: metrics)
    let routes = LiveRoutes(RouteTable(configuration.routes))
    metrics.declare(requestRoutes: RequestLabel.all(routes: routes.current), upstreamRoutes: routes.current.prefixes)
    let clientTokens = ClientTokenService(provider: provider, transport: transport, configuration: configuration, metrics: metrics)
    let upstreams = UpstreamClient()
    let router = buildGatehouseRouter(
        controller: controller, routes: routes, tokens: tokens, clientTokens: clientTokens,
        upstreams: upstreams, staticDirectory: configuration.staticDirectory, tracing: tracing
    )
    let webSockets = configuration.routes.contains(where: \.websocket)
    let tls: ListenerTLS?
    do {
        tls = try configuration.tls.map { settings throws(ListenerTLSSettings.LoadError) in try ListenerTLS(settings) }
    } catch {
        throw ConfigurationError(problems: [ConfigProblem(keyPath: "tls.\(error.key)", message: error.message)])
    }
    let reloader = reload.map { load in
        ConfigurationReloader(
            configuration: configuration, load: load, routes: routes, vault: vault, logLevel: logLevel, webSocketsEnabled: webSockets, tls: tls,
            upstreams: upstreams, metrics: metrics, logger: logger
        )
    }
    let publicApp = Application(
        router: router,
        server: GatehouseServer.serverBuilder(
            routes: routes, tls: tls, configuration: configuration, bearers: BearerResolver(controller: controller, tokens: tokens, clientTokens: clientTokens),
            metrics: metrics, logger: logger, tracing: tracing
        ),
        configuration: GatehouseServer.publicConfiguration(host: configuration.listen.host, port: configuration.listen.port, limits: configuration.limits),
        onServerRunning: { channel in await onPublicServerRunning(channel.localAddress?.port ?? configuration.listen.port) },
        logger: logger
    )
    let connections = sessions.connectedConnections
    let adminApp = Application(
        router: buildAdminRouter(
            provider: provider, metrics: metrics, storeReadiness: sessions.readiness,
            sessions: configuration.admin.token.map { AdminSessionsAPI(controller: controller, token: $0.value) }
        ) {
            metrics.pools(redisConnected: connections?(), upstreamIdle: upstreams.idleConnections, cachedSessions: cache?.count)
        },
        configuration: .init(address: .hostname(configuration.adminListen.host, port: configuration.adminListen.port), serverName: nil),
        logger: logger
    )
    // A group shuts its services down in reverse order: the clients go last, after the listeners
    // drained, and the span exporter after them, with the last requests' spans.
    let services: [any Service] = (telemetry.map { [$0.service] } ?? []) + [HTTPClientService(client: httpClient), UpstreamClientService(client: upstreams)]
        + sessions.services + [provider, publicApp, adminApp] + (reloader.map { [ConfigurationReloadService(reloader: $0)] } ?? [])
        + (tls.map { [TLSFileWatcher(tls: $0, logger: logger)] } ?? [])
    return GatehouseServer(
        provider: provider, controller: controller, configuration: configuration, httpClient: httpClient,
        publicApplication: publicApp, reloader: reloader, tracing: tracing, services: services
    )
}

/// Gatehouse assembled by ``buildApplication(configuration:sessions:logger:transport:onPublicServerRunning:)``:
/// the services for one `ServiceGroup`, and handles for tests.
package struct GatehouseServer: Sendable {
    package let provider: OIDCProvider
    package let controller: BFFController
    /// The configuration it was built from.
    package let configuration: GatehouseConfiguration
    /// Shut down by its service in ``services``; a test that never runs the group shuts it down itself.
    package let httpClient: HTTPClient
    /// The public listener's application, for `app.test(.router)` in unit tests.
    package let publicApplication: Application<RouterResponder<GatehouseRequestContext>>
    /// Reloads the configuration (on `SIGHUP`, or when a test asks); `nil` without a file to reload.
    package let reloader: ConfigurationReloader?
    /// The application's tracer; `nil` with tracing off.
    package let tracing: RequestTracing?
    /// Everything to run, in start order: clients, the store's services, the provider refresher, the listeners.
    package let services: [any Service]

    /// HTTP/1 behind the ``RequestHeadGuard``, with the WebSocket upgrade gate too when a route
    /// proxies WebSockets; with `tls`, inside ``PublicTLSChannel`` beside HTTP/2.
    package static func serverBuilder(
        routes: LiveRoutes, tls: ListenerTLS?, configuration: GatehouseConfiguration, bearers: BearerResolver, metrics: GatehouseMetrics, logger: Logger,
        tracing: RequestTracing? = nil
    ) -> HTTPServerBuilder {
        let limits = configuration.limits
        let secure = tls != nil
        @Sendable func withTLS(_ http1: some HTTPChannelHandler) -> any ServerChildChannel {
            guard let tls else { return http1 }
            return PublicTLSChannel(http1: http1, tls: tls, limits: limits)
        }
        guard configuration.routes.contains(where: \.websocket) else {
            return HTTPServerBuilder { responder in withTLS(PublicHTTP1Channel(responder: responder, limits: limits, secure: secure)) }
        }
        let gate = WebSocketGate(
            routes: routes, configuration: configuration, bearers: bearers, metrics: metrics, logger: logger, maxFrameSize: 1 << 20, tracing: tracing
        )
        return HTTPServerBuilder { responder in
            withTLS(WebSocketUpgradeChannel(responder: responder, maxFrameSize: gate.maxFrameSize, limits: limits, secure: secure) { head, peer in
                await gate.decide(head, peer: peer)
            })
        }
    }

    /// The public listener's configuration: its address and the connection cap (beyond it, new
    /// connections wait in the accept queue).
    package static func publicConfiguration(host: String, port: Int, limits: ListenerLimits) -> ApplicationConfiguration {
        ApplicationConfiguration(
            address: .hostname(host, port: port), serverName: nil,
            availableConnectionsDelegate: MaximumAvailableConnections(limits.maxConnections)
        )
    }

    /// The issuer as configured, without a trailing slash unless it has a path.
    static func issuerString(_ url: URL) -> String {
        var text = url.absoluteString
        if text.hasSuffix("/") && (url.path.isEmpty || url.path == "/") { text.removeLast() }
        return text
    }
}

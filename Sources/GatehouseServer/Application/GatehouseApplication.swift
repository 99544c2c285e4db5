public import Hummingbird
import Logging

/// Builds Gatehouse's public application: the BFF endpoints behind the CSRF
/// check. Static files and the API proxy join here as they are built.
public func buildGatehouseRouter(controller: BFFController) -> Router<GatehouseRequestContext> {
    let router = Router(context: GatehouseRequestContext.self)
    let settings = controller.settings
    router.add(middleware: CSRFMiddleware(headerName: settings.csrfHeaderName) { request in
        let path = request.uri.path
        return path == "/bff/user" || path == "/bff/logout"
    })
    controller.addRoutes(to: router)
    return router
}

/// The admin listener: `/healthz` (the process is up) and `/readyz` (the
/// session store answers and provider metadata is loaded; 503 with the reason).
public func buildAdminRouter(
    provider: OIDCProvider,
    storeReadiness: @escaping @Sendable () async -> String?
) -> Router<BasicRequestContext> {
    let router = Router(context: BasicRequestContext.self)
    router.get("healthz") { _, _ in
        Response(status: .ok, headers: [.contentType: "text/plain"], body: .init(byteBuffer: ByteBuffer(string: "ok\n")))
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

import GatehouseServer
import Hummingbird
import HummingbirdTesting

/// Runs `test` against a router that has one API route, one BFF route, and the static middleware
/// over a fresh ``StaticTestFolder``, wired the way the server wires it.
func withStaticApplication(
    publicURLIsHTTPS: Bool = false,
    setup: TestingSetup = .router,
    _ test: @Sendable (any TestClientProtocol, StaticTestFolder) async throws -> Void
) async throws {
    let folder = try StaticTestFolder()
    defer { folder.remove() }
    let headers = SecurityHeaders(publicURLIsHTTPS: publicURLIsHTTPS)
    let router = Router()
    router.add(middleware: SecurityHeadersMiddleware<BasicRequestContext>(headers))
    router.add(
        middleware: StaticFileMiddleware<BasicRequestContext>(
            folder: folder.folder,
            excludingPathPrefixes: ["/api/"],
            securityHeaders: headers
        )
    )
    router.get("/api/known") { _, _ in "api answered" }
    router.post("/bff/logout") { _, _ in "logged out" }
    let app = Application(router: router)
    try await app.test(setup) { client in
        try await test(client, folder)
    }
}

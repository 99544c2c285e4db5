package import AsyncHTTPClient
import ServiceLifecycle

/// The provider's HTTP client as a `Service`: it lives as long as the group and is shut down
/// there, after the listeners have drained (never by `deinit`, never on an event loop).
struct HTTPClientService: Service {
    let client: HTTPClient

    func run() async throws {
        try? await gracefulShutdown()
        try await client.shutdown()
    }
}

/// The proxy's upstream connection pool as a `Service`: idle keep-alive connections are closed
/// when the group shuts down.
struct UpstreamClientService: Service {
    let client: UpstreamClient

    func run() async throws {
        try? await gracefulShutdown()
        client.closeIdle()
    }
}

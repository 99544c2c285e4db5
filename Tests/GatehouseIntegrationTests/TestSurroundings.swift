import DevOpenIDProvider
import Hummingbird
import Logging
import ServiceLifecycle
import Testing

/// What a test of the real binary runs around it: the development provider and test upstreams.
enum TestSurroundings {
    static func quietLogger(_ label: String) -> Logger {
        var logger = Logger(label: label)
        logger.logLevel = .warning
        return logger
    }

    /// An upstream on 127.0.0.1:`port` answering with the routes `addRoutes` adds.
    static func upstream(port: Int, label: String = "test-upstream", _ addRoutes: (Router<BasicRequestContext>) -> Void) -> some ApplicationProtocol {
        let router = Router()
        addRoutes(router)
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)), logger: quietLogger(label))
    }

    /// Runs `provider` on a free port, and `services` beside it, for the length of `body`, which
    /// gets the provider's issuer; everything is shut down gracefully when `body` returns.
    static func withProvider<T: Sendable>(
        _ provider: DevOpenIDProvider, alongside services: [any Service] = [], _ body: (String) async throws -> T
    ) async throws -> T {
        let quiet = quietLogger("test-provider")
        let (ready, continuation) = AsyncStream<String>.makeStream()
        let providerApp = provider.makeApplication(host: "127.0.0.1", port: 0, logger: quiet) { continuation.yield($0) }
        let group = ServiceGroup(configuration: .init(services: [providerApp] + services, logger: quiet))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            defer { tasks.cancelAll() }
            let issuer = try #require(await GatehouseHarness.firstValue(ready))
            let result = try await body(issuer)
            await group.triggerGracefulShutdown()
            try await tasks.next()
            return result
        }
    }
}

import Hummingbird
import Logging
import ServiceLifecycle

/// Runs a Hummingbird application for the length of a test body, waiting a bounded time for it to listen.
enum ServerRunner {
    struct DidNotStart: Error {}

    /// Runs `application` until `body` returns; `ready` yields once the server listens (the issuer or URL).
    static func withRunning<T: Sendable>(
        _ application: some ApplicationProtocol,
        ready: AsyncStream<String>,
        readyContinuation: AsyncStream<String>.Continuation,
        _ body: (String) async throws -> T
    ) async throws -> T {
        // A ServiceGroup so the end of the test is a graceful shutdown (connections drained), not a cancellation.
        let serviceGroup = ServiceGroup(
            configuration: .init(services: [application], logger: Logger(label: "test-server"))
        )
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                // A server that fails to start ends the stream, so the wait below ends too.
                defer { readyContinuation.finish() }
                try await serviceGroup.run()
            }
            do {
                guard let address = try await first(of: ready, within: .seconds(30)) else { throw DidNotStart() }
                let result = try await body(address)
                await serviceGroup.triggerGracefulShutdown()
                try await group.waitForAll()
                return result
            } catch {
                await serviceGroup.triggerGracefulShutdown()
                group.cancelAll()
                throw error
            }
        }
    }

    private static func first(of stream: AsyncStream<String>, within timeout: Duration) async throws -> String? {
        try await withThrowingTaskGroup(of: String?.self) { group in
            group.addTask {
                for await value in stream { return value }
                return nil
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw DidNotStart()
            }
            let value = try await group.next() ?? nil
            group.cancelAll()
            return value
        }
    }
}

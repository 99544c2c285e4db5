import Hummingbird

/// A relying party's back-channel logout endpoint, for tests: it records what it is sent.
actor BackchannelReceiver {
    private(set) var bodies: [String] = []
    private(set) var contentTypes: [String] = []

    func record(body: String, contentType: String?) {
        bodies.append(body)
        contentTypes.append(contentType ?? "")
    }

    /// Serves `POST /backchannel-logout` on 127.0.0.1:0 while `body` runs; passes the endpoint's URL.
    nonisolated func withRunning<T: Sendable>(_ body: (String) async throws -> T) async throws -> T {
        let router = Router()
        router.post("/backchannel-logout") { request, context in
            let buffer = try await request.body.collect(upTo: 64 * 1024)
            await self.record(body: String(buffer: buffer), contentType: request.headers[.contentType])
            return Response(status: .ok)
        }
        let (ready, continuation) = AsyncStream<String>.makeStream()
        let application = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                continuation.yield("http://127.0.0.1:\(channel.localAddress?.port ?? 0)/backchannel-logout")
            }
        )
        return try await ServerRunner.withRunning(application, ready: ready, readyContinuation: continuation, body)
    }
}

import ArgumentParser
import AsyncHTTPClient
import Hummingbird
import NIOCore
import NIOPosix

/// A bare Hummingbird + AsyncHTTPClient proxy (no session, no headers work, no
/// middleware): the floor of the stack Gatehouse is built on, measured with the
/// same wrk load as Gatehouse to tell Gatehouse's own cost from the stack's.
struct BareProxyBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bare-proxy",
        abstract: "Serves a bare Hummingbird + AsyncHTTPClient proxy until killed."
    )

    @Option(help: "Port to listen on (127.0.0.1).") var port: Int
    @Option(help: "Upstream base URL, e.g. http://127.0.0.1:9000") var upstream: String

    func run() async throws {
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 256
        let client = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
        let upstream = self.upstream
        let router = Router()
        router.get("/local") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: #"{"ok":true}"#)))
        }
        router.get("/**") { request, _ -> Response in
            let response = try await client.execute(HTTPClientRequest(url: upstream + request.uri.path), timeout: .seconds(30))
            var headers = HTTPFields()
            if let type = response.headers.first(name: "content-type") { headers[.contentType] = type }
            return Response(status: .init(code: Int(response.status.code)), headers: headers, body: ResponseBody(asyncSequence: response.body))
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
        try await app.runService()
        try await client.shutdown()
    }
}

import Foundation
import GatehouseTestSupport
import Testing

/// `gatehouse serve` as a child process, for what only the real binary shows
/// (signal handling, resident memory): a memory session store and the given routes.
struct GatehouseProcess {
    let process: ChildProcess
    let port: Int
    let adminPort: Int
    private let directory: URL

    /// The YAML file the process was started with (and re-reads on `SIGHUP`).
    var configurationFile: URL { directory.appendingPathComponent("gatehouse.yaml") }
    /// What the process wrote to stdout and stderr so far.
    var output: String { (try? String(contentsOf: directory.appendingPathComponent("output.txt"), encoding: .utf8)) ?? "" }

    /// The `gatehouse` executable built beside the test bundle.
    static var binary: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("gatehouse").path
    }

    /// Writes the configuration, starts the binary and returns once `/healthz` answers (30 s at most:
    /// the full parallel suite on 2 cores can make a start slow).
    /// - Parameter routes: the YAML list under `routes:`, indented by two spaces.
    static func start(issuer: String, routes: String) async throws -> GatehouseProcess {
        try await start { port, adminPort, directory in
            yaml(port: port, adminPort: adminPort, directory: directory, issuer: issuer) + "routes:\n\(routes)\n"
        }
    }

    /// The configuration every process test starts from: loopback listeners, the provider at
    /// `issuer` with `clientID`, sessions in `store`, warnings only; a test adds its own keys after it.
    static func yaml(
        port: Int, adminPort: Int, directory: String, issuer: String, clientID: String = "process-test", clientSecret: String = "not-used-here",
        store: String = "memory"
    ) -> String {
        """
        listen: 127.0.0.1:\(port)
        admin_listen: 127.0.0.1:\(adminPort)
        public_url: http://127.0.0.1:\(port)
        static_dir: \(directory)
        oidc:
          issuer: \(issuer)
          client_id: \(clientID)
          client_secret: \(clientSecret)
        session:
          store: \(store)
          encryption_keys: ["\(Data(repeating: 7, count: 32).base64EncodedString())"]
        log:
          level: warning

        """
    }

    /// Starts the binary with the YAML `configuration` makes of the public port (`port`, or a free
    /// one), the admin port and a scratch directory (for `static_dir`), once `/healthz` answers.
    static func start(port: Int? = nil, configuration: (_ port: Int, _ adminPort: Int, _ directory: String) -> String) async throws -> GatehouseProcess {
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build the gatehouse product first (swift build --build-tests does)")
        let (port, adminPort) = (try port ?? freeLoopbackPort(), try freeLoopbackPort())
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-process-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let config = directory.appendingPathComponent("gatehouse.yaml")
        try configuration(port, adminPort, directory.path).write(to: config, atomically: true, encoding: .utf8)
        let process = try ChildProcess(executable: binary, arguments: ["serve", "--config", config.path], outputPath: directory.appendingPathComponent("output.txt").path)
        let started = GatehouseProcess(process: process, port: port, adminPort: adminPort, directory: directory)
        for _ in 0..<300 where process.isRunning {
            if await RawHTTP.exchange(port: adminPort, request: "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").hasPrefix("HTTP/1.1 200") {
                return started
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        let output = (try? String(contentsOf: directory.appendingPathComponent("output.txt"), encoding: .utf8)) ?? ""
        started.stop()
        throw DidNotStart(output: String(output.suffix(600)))
    }

    /// Ends the process if it still runs and removes its directory.
    func stop() {
        process.killAndReap()
        try? FileManager.default.removeItem(at: directory)
    }

    struct DidNotStart: Error, CustomStringConvertible {
        var output: String
        var description: String { "gatehouse serve did not answer /healthz within 30 s; its output ends: \(output)" }
    }
}

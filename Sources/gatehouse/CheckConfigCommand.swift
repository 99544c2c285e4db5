import ArgumentParser
import Foundation
import GatehouseRedis
import GatehouseServer
import Logging

/// `gatehouse check-config`: loads the configuration as `serve` would and prints every
/// problem as `key.path: message` (exit 1), or a short summary (exit 0). Never a secret.
struct CheckConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Loads and validates the configuration; prints every problem with its key path.",
        discussion: """
            Reads the YAML file, then GATEHOUSE_* environment overrides and *_file secrets, \
            exactly as 'serve' does. Exits 1 when anything is wrong. No secret is printed. \
            With --live it also tries the provider (discovery, keys, the client's credentials), \
            the session store and each route's upstream, one PASS/FAIL line each with a fix; \
            it changes nothing anywhere.
            """
    )

    @Option(name: .long, help: "The YAML file (default: $GATEHOUSE_CONFIG, else gatehouse.yaml).")
    var config: String?

    @Flag(name: .long, help: "Also try the provider, the client's credentials, Redis and every upstream.")
    var live = false

    func run() async throws {
        let loader = ConfigurationLoader()
        let path = loader.filePath(argument: config)
        do {
            let configuration = try loader.load(fileAt: path)
            print("\(path): OK")
            print(configuration.summary.split(separator: "\n").map { "  \($0)" }.joined(separator: "\n"))
            if live { try await checkLive(configuration) }
        } catch let error as ConfigurationError {
            for problem in error.problems {
                printToStandardError(problem.description)
            }
            let count = error.problems.count
            printToStandardError("\(path): \(count) problem\(count == 1 ? "" : "s")")
            throw ExitCode(1)
        }
    }

    private func checkLive(_ configuration: GatehouseConfiguration) async throws {
        var quiet = Logger(label: "gatehouse.check")
        quiet.logLevel = .critical
        var redis: RedisSessions?
        if case .redis(let url) = configuration.session.store {
            redis = try RedisSessions(endpoint: url.parts, logger: quiet)
        }
        var probe: LiveCheck.StoreProbe?
        if let redis { probe = { (try await redis.serverVersion(), try await redis.topologySummary()) } }
        let lines: [LiveCheck.Line] = await LiveCheck.run(configuration: configuration, storeProbe: probe)
        await redis?.shutdown()
        for line in lines { print(line) }
        let failures = lines.filter { $0.outcome == .fail }.count
        let skipped = lines.filter { $0.outcome == .skip }.count
        print("live check: \(lines.count - failures - skipped) passed, \(failures) failed" + (skipped == 0 ? "" : ", \(skipped) not tried"))
        if failures > 0 { throw ExitCode(1) }
    }

    private func printToStandardError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}

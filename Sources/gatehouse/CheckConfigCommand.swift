import ArgumentParser
import Foundation
import GatehouseServer

/// `gatehouse check-config`: loads the configuration as `serve` would and prints every
/// problem as `key.path: message` (exit 1), or a short summary (exit 0). Never a secret.
struct CheckConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Loads and validates the configuration; prints every problem with its key path.",
        discussion: """
            Reads the YAML file, then GATEHOUSE_* environment overrides and *_file secrets, \
            exactly as 'serve' does. Exits 1 when anything is wrong. No secret is printed.
            """
    )

    @Option(name: .long, help: "The YAML file (default: $GATEHOUSE_CONFIG, else gatehouse.yaml).")
    var config: String?

    func run() async throws {
        let loader = ConfigurationLoader()
        let path = loader.filePath(argument: config)
        do {
            let configuration = try loader.load(fileAt: path)
            print("\(path): OK")
            print(configuration.summary.split(separator: "\n").map { "  \($0)" }.joined(separator: "\n"))
        } catch {
            for problem in error.problems {
                printToStandardError(problem.description)
            }
            let count = error.problems.count
            printToStandardError("\(path): \(count) problem\(count == 1 ? "" : "s")")
            throw ExitCode(1)
        }
    }

    private func printToStandardError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}

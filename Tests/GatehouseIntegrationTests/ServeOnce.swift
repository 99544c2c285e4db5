import Foundation
import GatehouseTestSupport
import Testing

/// `gatehouse serve` run to its exit, for start-up failures: its combined output and exit status.
enum ServeOnce {
    struct Output {
        var status: Int32
        var text: String
    }

    /// Writes `yaml`, runs the binary, and waits at most `limit` for it to exit (then kills it and fails).
    static func run(yaml: String, limit: Duration = .seconds(60)) async throws -> Output {
        try #require(FileManager.default.isExecutableFile(atPath: GatehouseProcess.binary), "build the gatehouse product first (swift build --build-tests does)")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-serve-once-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("gatehouse.yaml")
        try (yaml + "\nstatic_dir: \(directory.path)\n").write(to: config, atomically: true, encoding: .utf8)
        let outputFile = directory.appendingPathComponent("output.txt")
        let process = try ChildProcess(executable: GatehouseProcess.binary, arguments: ["serve", "--config", config.path], outputPath: outputFile.path)
        if await !process.waitForExit(limit: limit) {
            process.killAndReap()
            Issue.record("gatehouse serve was still running after \(limit)")
        }
        return Output(status: process.terminationStatus, text: (try? String(contentsOf: outputFile, encoding: .utf8)) ?? "")
    }
}

import ArgumentParser
import Foundation
import GatehouseRedis

/// `GET` of one value by N concurrent callers through Gatehouse's Redis client,
/// the workload `redis-benchmark -t get -d SIZE -c N` runs.
struct RedisGetBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "redis-get",
        abstract: "GET by concurrent callers for a fixed time; prints ops/s and resident memory."
    )

    @Option(help: "Redis URL.") var url: String
    @Option(help: "Concurrent callers.") var concurrency = 50
    @Option(help: "Seconds to run.") var duration = 10
    @Option(help: "Value size in bytes.") var valueSize = 1024
    @Option(help: "Pooled connections.") var poolSize = 4
    @Option(help: "Seconds between resident-memory samples.") var sampleEvery = 5

    func run() async throws {
        let client = try RedisClient(configuration: RedisConfiguration(endpoint: RedisEndpoint(url: url), poolSize: poolSize))
        let value = [UInt8](repeating: 0x78, count: valueSize)
        try await client.set("bench:key", to: value)
        // Warm every pooled connection before timing.
        for _ in 0..<(poolSize * 2) { _ = try await client.get("bench:key") }

        let clock = ContinuousClock()
        let start = clock.now
        let end = start + .seconds(duration)
        let sampleEvery = sampleEvery
        let duration = duration
        let sampler = Task {
            var samples: [(Int, Int)] = [(0, residentKiB())]
            var elapsed = 0
            while elapsed + sampleEvery <= duration {
                try? await Task.sleep(for: .seconds(sampleEvery))
                elapsed += sampleEvery
                samples.append((elapsed, residentKiB()))
            }
            return samples
        }
        let total = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<concurrency {
                group.addTask {
                    var local = 0
                    while clock.now < end {
                        guard let reply = try await client.get("bench:key"), reply.count == value.count else {
                            throw ValidationError("wrong reply")
                        }
                        local += 1
                    }
                    return local
                }
            }
            return try await group.reduce(0, +)
        }
        let samples = await sampler.value
        let seconds = Double((clock.now - start).components.attoseconds) / 1e18 + Double((clock.now - start).components.seconds)
        print(String(format: "gatehouse_ops_per_sec %.0f", Double(total) / seconds))
        print("rss_kib_samples " + samples.map { "\($0.0)s=\($0.1)" }.joined(separator: " "))
        await client.shutdown()
    }
}

/// Resident set size of this process in KiB, from /proc/self/status.
func residentKiB() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return -1 }
    for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? -1
    }
    return -1
}

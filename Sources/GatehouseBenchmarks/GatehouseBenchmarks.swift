import ArgumentParser

/// Reproducible benchmarks; the scripts in Deploy/scripts run them against baselines.
@main
struct GatehouseBenchmarks: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gatehouse-bench",
        abstract: "Gatehouse benchmarks (run through Deploy/scripts/bench-*.sh).",
        subcommands: [RedisGetBenchmark.self, BareProxyBenchmark.self, SessionRecordBenchmark.self]
    )
}

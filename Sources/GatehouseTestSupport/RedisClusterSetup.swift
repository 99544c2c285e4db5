package import Foundation

/// A Redis Cluster of primaries on loopback (no replicas), formed with `redis-cli --cluster
/// create`, for the store and lock conformance suites and the refresh storm.
package final class RedisClusterSetup: Sendable {
    package let nodes: [RedisServer]

    /// `redis+cluster://` naming every node as a seed.
    package var url: String {
        "redis+cluster://" + nodes.map { "127.0.0.1:\($0.port)" }.joined(separator: ",")
    }

    private init(nodes: [RedisServer]) {
        self.nodes = nodes
    }

    /// Starts `count` nodes, splits the slots between them and waits (20 s at most) until every
    /// node says `cluster_state:ok`.
    package static func start(nodes count: Int = 3) async throws -> RedisClusterSetup {
        var nodes: [RedisServer] = []
        for _ in 0..<count { nodes.append(try await RedisServer.start(cluster: true)) }
        let setup = RedisClusterSetup(nodes: nodes)
        do {
            let created = try await setup.cli(["--cluster", "create"] + nodes.map { "127.0.0.1:\($0.port)" } + ["--cluster-replicas", "0", "--cluster-yes"])
            guard created.status == 0 else { throw RedisServer.LaunchError(description: "redis-cli --cluster create failed: \(created.output.suffix(400))") }
            let deadline = ContinuousClock.now + .seconds(20)
            while ContinuousClock.now < deadline {
                var ready = true
                for node in nodes where ready {
                    ready = try await setup.cli(["-p", String(node.port), "cluster", "info"]).output.contains("cluster_state:ok")
                }
                if ready { return setup }
                try await Task.sleep(for: .milliseconds(100))
            }
            throw RedisServer.LaunchError(description: "the cluster did not reach cluster_state:ok within 20 s")
        } catch {
            setup.stop()
            throw error
        }
    }

    /// Runs `redis-cli` against the cluster's first node (or the `-p` given) and returns its exit status and output.
    package func cli(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        guard let executable = RedisServer.findExecutable("redis-cli") else {
            throw RedisServer.LaunchError(description: "redis-cli is not installed: apt-get install redis-tools (Deploy/scripts/setup-deps.sh does it)")
        }
        let output = nodes[0].directory.appendingPathComponent("cli-\(UUID().uuidString).txt")
        let leading = arguments.first == "-p" || arguments.first == "--cluster" ? [] : ["-p", String(nodes[0].port)]
        let process = try ChildProcess(executable: executable, arguments: ["-h", "127.0.0.1"] + leading + arguments, outputPath: output.path)
        guard await process.waitForExit(limit: .seconds(30)) else {
            process.killAndReap()
            throw RedisServer.LaunchError(description: "redis-cli \(arguments.joined(separator: " ")) did not end within 30 s")
        }
        defer { try? FileManager.default.removeItem(at: output) }
        return (process.terminationStatus, (try? String(contentsOf: output, encoding: .utf8)) ?? "")
    }

    package func stop() {
        for node in nodes { node.stop() }
    }
}

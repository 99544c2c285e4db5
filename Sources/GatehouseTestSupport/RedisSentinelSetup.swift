package import Foundation

/// A master, one replica and three sentinels on loopback, for failover tests.
package final class RedisSentinelSetup: Sendable {
    package static let masterName = "gatehouse-master"
    package let master: RedisServer
    package let replica: RedisServer
    package let sentinels: [RedisServer]

    /// `redis+sentinel://` naming the three sentinels and the master.
    package var url: String {
        "redis+sentinel://" + sentinels.map { "127.0.0.1:\($0.port)" }.joined(separator: ",") + "/\(Self.masterName)/0"
    }

    private init(master: RedisServer, replica: RedisServer, sentinels: [RedisServer]) {
        (self.master, self.replica, self.sentinels) = (master, replica, sentinels)
    }

    /// Starts everything and waits (15 s at most) until every sentinel sees the replica and the
    /// two other sentinels: without them there is no quorum, and a dead master is never replaced.
    package static func start() async throws -> RedisSentinelSetup {
        let master = try await RedisServer.start()
        let replica = try await RedisServer.start(replicaOf: master.port)
        var sentinels: [RedisServer] = []
        for _ in 0..<3 { sentinels.append(try await RedisServer.startSentinel(monitoring: master.port, name: masterName)) }
        let setup = RedisSentinelSetup(master: master, replica: replica, sentinels: sentinels)
        let deadline = ContinuousClock.now + .seconds(15)
        while ContinuousClock.now < deadline {
            let ready = setup.sentinels.allSatisfy { sentinel in
                let log = setup.sentinelLog(sentinel)
                return log.contains("+slave") && log.components(separatedBy: "+sentinel sentinel").count - 1 >= 2
            }
            if ready { return setup }
            try await Task.sleep(for: .milliseconds(100))
        }
        setup.stop()
        throw RedisServer.LaunchError(description: "the sentinels did not see the replica and each other within 15 s")
    }

    /// What a sentinel logged (`+switch-master` and the rest), for failure messages.
    package func sentinelLog(_ sentinel: RedisServer) -> String {
        (try? String(contentsOf: sentinel.directory.appendingPathComponent("redis.log"), encoding: .utf8)) ?? ""
    }

    package func stop() {
        for server in sentinels + [replica, master] { server.stop() }
    }
}

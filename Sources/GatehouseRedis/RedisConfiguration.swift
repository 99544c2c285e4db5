package import NIOCore

/// How the client connects and how long it waits.
package struct RedisConfiguration: Sendable {
    /// Time limits.
    package struct Timeouts: Sendable {
        /// TCP (and TLS) connect plus AUTH/SELECT.
        package var connect: TimeAmount
        /// From sending a command to its reply; on expiry the connection is closed.
        package var command: TimeAmount

        package init(connect: TimeAmount = .seconds(2), command: TimeAmount = .seconds(2)) {
            self.connect = connect
            self.command = command
        }
    }

    package var endpoint: RedisEndpoint
    /// Connections kept open; each carries many pipelined commands.
    package var poolSize: Int
    package var timeouts: Timeouts
    package var backoff: Backoff
    /// PEM file of the CA that signed the server certificate, for `rediss://`.
    package var tlsCAFile: String?

    package init(
        endpoint: RedisEndpoint,
        poolSize: Int = 4,
        timeouts: Timeouts = .init(),
        backoff: Backoff = .init(),
        tlsCAFile: String? = nil
    ) {
        precondition(poolSize > 0, "a pool needs at least one connection")
        self.endpoint = endpoint
        self.poolSize = poolSize
        self.timeouts = timeouts
        self.backoff = backoff
        self.tlsCAFile = tlsCAFile
    }
}

public import NIOCore

/// How the client connects and how long it waits.
public struct RedisConfiguration: Sendable {
    /// Time limits.
    public struct Timeouts: Sendable {
        /// TCP (and TLS) connect plus AUTH/SELECT.
        public var connect: TimeAmount
        /// From sending a command to its reply; on expiry the connection is closed.
        public var command: TimeAmount

        public init(connect: TimeAmount = .seconds(2), command: TimeAmount = .seconds(2)) {
            self.connect = connect
            self.command = command
        }
    }

    public var endpoint: RedisEndpoint
    /// Connections kept open; each carries many pipelined commands.
    public var poolSize: Int
    public var timeouts: Timeouts
    public var backoff: Backoff
    /// PEM file of the CA that signed the server certificate, for `rediss://`.
    public var tlsCAFile: String?

    public init(
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

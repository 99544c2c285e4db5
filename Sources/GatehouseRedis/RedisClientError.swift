/// Why a Redis command failed. Descriptions are safe to log: they never hold a
/// password, a key or a value.
package struct RedisClientError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Code: Hashable, Sendable {
        case connectionRefused
        case connectTimeout
        case commandTimeout
        case connectionClosed
        case serverError(String)
        case protocolError(String)
        case authenticationFailed
        case unavailable
        case shutdown
        case invalidURL(String)
        case unexpectedReply(String)
    }

    private let code: Code
    /// A short, secret-free description of the lower-level cause, when there is one.
    package let underlying: String?

    private init(_ code: Code, underlying: String? = nil) {
        self.code = code
        self.underlying = underlying
    }

    /// The server refused the TCP connection, or it could not be reached.
    package static func connectionRefused(_ underlying: String? = nil) -> Self { .init(.connectionRefused, underlying: underlying) }
    /// Connecting took longer than the connect timeout.
    package static let connectTimeout = Self(.connectTimeout)
    /// The command got no reply within the command timeout; its connection was closed.
    package static let commandTimeout = Self(.commandTimeout)
    /// The connection closed while the command was in flight.
    package static let connectionClosed = Self(.connectionClosed)
    /// Redis answered with an error reply; the message is Redis's own.
    package static func serverError(_ message: String) -> Self { .init(.serverError(message)) }
    /// The bytes from the server were not valid RESP.
    package static func protocolError(_ reason: String) -> Self { .init(.protocolError(reason)) }
    /// `AUTH` was refused: wrong user name or password.
    package static let authenticationFailed = Self(.authenticationFailed)
    /// The pool is backing off after failed connects; retried automatically.
    package static func unavailable(_ underlying: String?) -> Self { .init(.unavailable, underlying: underlying) }
    /// The client has shut down.
    package static let shutdown = Self(.shutdown)
    /// The Redis URL could not be used.
    package static func invalidURL(_ reason: String) -> Self { .init(.invalidURL(reason)) }
    /// A reply of an unexpected type for the command.
    package static func unexpectedReply(_ command: String) -> Self { .init(.unexpectedReply(command)) }

    /// Whether the failure means Redis is unreachable or the connection broke,
    /// as opposed to Redis refusing one command: callers map it to 503.
    package var isConnectionFailure: Bool {
        switch code {
        case .connectionRefused, .connectTimeout, .commandTimeout, .connectionClosed, .unavailable, .shutdown: true
        default: false
        }
    }

    /// Whether the peer's bytes were not RESP, or broke a limit on what one reply may cost;
    /// the connection was closed.
    package var isProtocolError: Bool {
        if case .protocolError = code { return true }
        return false
    }

    package var description: String {
        let base: String
        switch code {
        case .connectionRefused: base = "redis: connection refused or host unreachable"
        case .connectTimeout: base = "redis: connect timed out"
        case .commandTimeout: base = "redis: command timed out; connection closed"
        case .connectionClosed: base = "redis: connection closed with the command in flight"
        case .serverError(let message): base = "redis: server error: \(message)"
        case .protocolError(let reason): base = "redis: protocol error: \(reason)"
        case .authenticationFailed: base = "redis: authentication failed (check the user name and password in the Redis URL)"
        case .unavailable: base = "redis: unavailable, reconnecting"
        case .shutdown: base = "redis: client shut down"
        case .invalidURL(let reason): base = "redis: invalid URL: \(reason)"
        case .unexpectedReply(let command): base = "redis: unexpected reply type to \(command)"
        }
        if let underlying { return "\(base) (\(underlying))" }
        return base
    }
}

/// Why a Redis command failed. Descriptions are safe to log: they never hold a
/// password, a key or a value.
public struct RedisClientError: Error, Hashable, Sendable, CustomStringConvertible {
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
    public let underlying: String?

    private init(_ code: Code, underlying: String? = nil) {
        self.code = code
        self.underlying = underlying
    }

    /// The server refused the TCP connection, or it could not be reached.
    public static func connectionRefused(_ underlying: String? = nil) -> Self { .init(.connectionRefused, underlying: underlying) }
    /// Connecting took longer than the connect timeout.
    public static let connectTimeout = Self(.connectTimeout)
    /// The command got no reply within the command timeout; its connection was closed.
    public static let commandTimeout = Self(.commandTimeout)
    /// The connection closed while the command was in flight.
    public static let connectionClosed = Self(.connectionClosed)
    /// Redis answered with an error reply; the message is Redis's own.
    public static func serverError(_ message: String) -> Self { .init(.serverError(message)) }
    /// The bytes from the server were not valid RESP.
    public static func protocolError(_ reason: String) -> Self { .init(.protocolError(reason)) }
    /// `AUTH` was refused: wrong user name or password.
    public static let authenticationFailed = Self(.authenticationFailed)
    /// The pool is backing off after failed connects; retried automatically.
    public static func unavailable(_ underlying: String?) -> Self { .init(.unavailable, underlying: underlying) }
    /// The client has shut down.
    public static let shutdown = Self(.shutdown)
    /// The Redis URL could not be used.
    public static func invalidURL(_ reason: String) -> Self { .init(.invalidURL(reason)) }
    /// A reply of an unexpected type for the command.
    public static func unexpectedReply(_ command: String) -> Self { .init(.unexpectedReply(command)) }

    /// Whether the failure means Redis is unreachable or the connection broke,
    /// as opposed to Redis refusing one command: callers map it to 503.
    public var isConnectionFailure: Bool {
        switch code {
        case .connectionRefused, .connectTimeout, .commandTimeout, .connectionClosed, .unavailable, .shutdown: true
        default: false
        }
    }

    /// Whether the peer's bytes were not RESP, or broke a limit on what one reply may cost;
    /// the connection was closed.
    public var isProtocolError: Bool {
        if case .protocolError = code { return true }
        return false
    }

    public var description: String {
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

/// A store could not do its job. The HTTP layer answers 503 (never 401, which
/// would send users round a login loop). Descriptions never hold a key or value.
package struct SessionStoreError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Code: Hashable, Sendable {
        case unavailable
        case failed
    }

    private let code: Code
    /// A secret-free description of the cause, for logs.
    package let reason: String

    private init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    /// The store is unreachable or the connection broke; it may come back by itself.
    package static func unavailable(_ reason: String) -> Self { Self(.unavailable, reason) }
    /// The store refused an operation.
    package static func failed(_ reason: String) -> Self { Self(.failed, reason) }

    /// Whether the store is unreachable, as opposed to refusing one operation.
    package var isUnavailable: Bool { code == .unavailable }

    package var description: String {
        switch code {
        case .unavailable: "session store unavailable: \(reason)"
        case .failed: "session store error: \(reason)"
        }
    }
}

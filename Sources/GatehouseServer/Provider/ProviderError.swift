/// Talking to the OpenID provider failed. The HTTP layer answers 502 or 504;
/// descriptions never hold a token, code or secret.
package struct ProviderError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Code: Hashable, Sendable {
        case notReady
        case timeout
        case unreachable
        case badResponse
    }

    private let code: Code
    package let reason: String?

    private init(_ code: Code, _ reason: String? = nil) {
        self.code = code
        self.reason = reason
    }

    /// Metadata or keys have not been loaded yet (see `/readyz`).
    package static func notReady(_ reason: String?) -> Self { Self(.notReady, reason) }
    /// The provider did not answer within the timeout.
    package static let timeout = Self(.timeout)
    /// The provider could not be reached.
    package static func unreachable(_ reason: String) -> Self { Self(.unreachable, reason) }
    /// The provider answered with something unusable (HTML, wrong shape, 5xx).
    package static func badResponse(_ reason: String) -> Self { Self(.badResponse, reason) }

    /// Whether the failure is a timeout (504) rather than a bad or missing answer (502).
    package var isTimeout: Bool { code == .timeout }
    package var isNotReady: Bool { code == .notReady }

    package var description: String {
        let base = switch code {
        case .notReady: "identity provider metadata not loaded"
        case .timeout: "identity provider timed out"
        case .unreachable: "identity provider unreachable"
        case .badResponse: "identity provider gave an unusable answer"
        }
        return reason.map { "\(base): \($0)" } ?? base
    }
}

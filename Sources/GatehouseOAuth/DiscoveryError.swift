/// Why a discovery document (`/.well-known/openid-configuration`) was rejected.
package struct DiscoveryError: Error, Hashable, CustomStringConvertible {
    private enum Code: Hashable {
        case html
        case notJSON
        case invalidField
        case issuerMismatch
        case missingEndpoint
        case invalidEndpoint
    }

    private let code: Code
    private let detail: String

    private init(_ code: Code, _ detail: String = "") {
        self.code = code
        self.detail = detail
    }

    /// The provider answered with HTML, not JSON.
    package static let html = DiscoveryError(.html)
    /// The provider's answer is not JSON.
    package static let notJSON = DiscoveryError(.notJSON)
    /// A field of the document is missing or has the wrong type.
    package static let invalidField = DiscoveryError(.invalidField)
    /// The document's `issuer` is not exactly the configured issuer.
    package static let issuerMismatch = DiscoveryError(.issuerMismatch)
    /// A required endpoint is missing.
    package static let missingEndpoint = DiscoveryError(.missingEndpoint)
    /// An endpoint is not an absolute http(s) URL.
    package static let invalidEndpoint = DiscoveryError(.invalidEndpoint)

    /// The same kind of error with context for the description (never a secret).
    func detailed(_ detail: String) -> Self { .init(self.code, detail) }

    init(problem: JSONBody.Problem) {
        switch problem {
        case .html: self = .html
        case .notJSON: self = .notJSON
        case .invalidField(let path): self = DiscoveryError.invalidField.detailed(path)
        }
    }

    /// Errors compare by kind only, so tests and callers can match `error == .issuerMismatch`.
    package static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    package func hash(into hasher: inout Hasher) { hasher.combine(self.code) }

    /// What went wrong and what to check.
    package var description: String {
        switch self.code {
        case .html:
            "discovery failed: the provider answered with HTML, not JSON; check oidc.issuer points at the OpenID provider"
        case .notJSON:
            "discovery failed: the provider's answer is not JSON; check oidc.issuer"
        case .invalidField:
            "discovery failed: field \"\(self.detail)\" is missing or has the wrong type"
        case .issuerMismatch:
            "discovery failed: issuer mismatch (\(self.detail)); oidc.issuer must match exactly, path and trailing slash included"
        case .missingEndpoint:
            "discovery failed: the provider does not advertise \(self.detail)"
        case .invalidEndpoint:
            "discovery failed: \(self.detail) is not an absolute http(s) URL"
        }
    }
}

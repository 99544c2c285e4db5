/// Why a token-endpoint (or revocation) answer could not be used.
package struct TokenEndpointError: Error, Hashable, CustomStringConvertible {
    private enum Code: Hashable {
        case oauthError
        case html
        case notJSON
        case invalidField
        case unexpectedStatus
        case unsupportedTokenType
    }

    private let code: Code
    private let detail: String
    /// The RFC 6749 §5.2 `error` code, when the provider sent an error response.
    package let oauthError: OAuthErrorCode?
    /// The HTTP status of the answer.
    package let status: Int?

    private init(_ code: Code, detail: String = "", oauthError: OAuthErrorCode? = nil, status: Int? = nil) {
        self.code = code
        self.detail = detail
        self.oauthError = oauthError
        self.status = status
    }

    /// The provider answered with an OAuth error (see ``oauthError``).
    package static let oauthErrorResponse = Self(.oauthError)
    /// The provider answered with HTML, not JSON.
    package static let html = Self(.html)
    /// The provider's answer is not JSON.
    package static let notJSON = Self(.notJSON)
    /// A field is missing or has the wrong type.
    package static let invalidField = Self(.invalidField)
    /// An unexpected HTTP status without an OAuth error body.
    package static let unexpectedStatus = Self(.unexpectedStatus)
    /// A `token_type` other than the one asked for (`Bearer`, or `DPoP` with a proof).
    package static let unsupportedTokenType = Self(.unsupportedTokenType)

    static func oauth(_ code: OAuthErrorCode, description: String?, status: Int) -> Self {
        Self(.oauthError, detail: description.map(Self.sanitized) ?? "", oauthError: code, status: status)
    }

    func with(status: Int, detail: String? = nil) -> Self {
        Self(self.code, detail: detail ?? self.detail, oauthError: self.oauthError, status: status)
    }

    init(_ problem: JSONBody.Problem, status: Int) {
        switch problem {
        case .html: self = Self.html.with(status: status)
        case .notJSON: self = Self.notJSON.with(status: status)
        case .invalidField(let path): self = Self.invalidField.with(status: status, detail: path)
        }
    }

    /// Errors compare by kind and OAuth code, so callers can match `.oauthErrorResponse` or check ``oauthError``.
    package static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.code == rhs.code && (lhs.oauthError == nil || rhs.oauthError == nil || lhs.oauthError == rhs.oauthError)
    }

    package func hash(into hasher: inout Hasher) { hasher.combine(self.code) }

    /// What went wrong; quotes the provider's `error_description` (shortened) but never a token.
    package var description: String {
        let status = self.status.map { " (HTTP \($0))" } ?? ""
        switch self.code {
        case .oauthError:
            let text = self.detail.isEmpty ? "" : ": \(self.detail)"
            return "token endpoint refused the request\(status) with \(self.oauthError?.rawValue ?? "an error")\(text)"
        case .html:
            return "token endpoint answered with HTML, not JSON\(status); check the provider and any proxy in front of it"
        case .notJSON:
            return "token endpoint answer is not JSON\(status)"
        case .invalidField:
            return "token endpoint answer\(status): field \"\(self.detail)\" is missing or has the wrong type"
        case .unexpectedStatus:
            return "token endpoint answered with an unexpected status\(status)"
        case .unsupportedTokenType:
            return "token endpoint issued a token of type \"\(self.detail)\", not the type asked for (Bearer, or DPoP when oidc.dpop is on)"
        }
    }

    // Provider text goes to logs: keep it short and printable.
    private static func sanitized(_ text: String) -> String {
        String(text.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.prefix(200).map(Character.init))
    }
}

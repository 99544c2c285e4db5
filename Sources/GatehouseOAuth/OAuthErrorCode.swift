/// The `error` value of an OAuth error response (RFC 6749 §4.1.2.1, §5.2; OpenID Connect Core §3.1.2.6).
///
/// Callers branch on this, never on `error_description` text.
package enum OAuthErrorCode: Sendable, Hashable, CustomStringConvertible {
    case invalidRequest
    case invalidClient
    case invalidGrant
    case unauthorizedClient
    case unsupportedGrantType
    case invalidScope
    case accessDenied
    case unsupportedResponseType
    case serverError
    case temporarilyUnavailable
    case loginRequired
    case consentRequired
    case interactionRequired
    /// A pushed request's `request_uri` is unknown, used or expired (RFC 9126 §2.2, RFC 9101 §6.2).
    case invalidRequestURI
    /// Any other code, as sent.
    case other(String)

    /// Maps the wire value to a case.
    package init(_ rawValue: String) {
        self =
            switch rawValue {
            case "invalid_request": .invalidRequest
            case "invalid_client": .invalidClient
            case "invalid_grant": .invalidGrant
            case "unauthorized_client": .unauthorizedClient
            case "unsupported_grant_type": .unsupportedGrantType
            case "invalid_scope": .invalidScope
            case "access_denied": .accessDenied
            case "unsupported_response_type": .unsupportedResponseType
            case "server_error": .serverError
            case "temporarily_unavailable": .temporarilyUnavailable
            case "login_required": .loginRequired
            case "consent_required": .consentRequired
            case "interaction_required": .interactionRequired
            case "invalid_request_uri": .invalidRequestURI
            default: .other(rawValue)
            }
    }

    /// The wire value.
    package var rawValue: String {
        switch self {
        case .invalidRequest: "invalid_request"
        case .invalidClient: "invalid_client"
        case .invalidGrant: "invalid_grant"
        case .unauthorizedClient: "unauthorized_client"
        case .unsupportedGrantType: "unsupported_grant_type"
        case .invalidScope: "invalid_scope"
        case .accessDenied: "access_denied"
        case .unsupportedResponseType: "unsupported_response_type"
        case .serverError: "server_error"
        case .temporarilyUnavailable: "temporarily_unavailable"
        case .loginRequired: "login_required"
        case .consentRequired: "consent_required"
        case .interactionRequired: "interaction_required"
        case .invalidRequestURI: "invalid_request_uri"
        case .other(let value): value
        }
    }

    /// The wire value.
    package var description: String { self.rawValue }
}

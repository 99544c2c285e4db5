import Hummingbird

/// An OAuth error answer (RFC 6749 §4.1.2.1 and §5.2, RFC 6750 §3.1). The message never holds a secret.
struct OAuthError: Error, Sendable {
    /// The registered `error` codes the provider uses.
    enum Code: String, Sendable {
        case invalidRequest = "invalid_request"
        case invalidClient = "invalid_client"
        case invalidGrant = "invalid_grant"
        case unauthorizedClient = "unauthorized_client"
        case unsupportedGrantType = "unsupported_grant_type"
        case unsupportedResponseType = "unsupported_response_type"
        case invalidScope = "invalid_scope"
        case accessDenied = "access_denied"
        case loginRequired = "login_required"
        case serverError = "server_error"
        case invalidToken = "invalid_token"
        case invalidTarget = "invalid_target"
        case invalidRequestURI = "invalid_request_uri"
        case invalidDPoPProof = "invalid_dpop_proof"
        case useDPoPNonce = "use_dpop_nonce"
    }

    let code: Code
    let message: String
    let status: HTTPResponse.Status
    /// Set when the client tried HTTP Basic: RFC 6749 §5.2 then requires 401 with `WWW-Authenticate`.
    var challengesBasic = false
    /// Sent as `DPoP-Nonce` (RFC 9449 §8): the nonce the next proof must carry.
    var dpopNonce: String?

    static func invalidRequest(_ message: String) -> Self { .init(code: .invalidRequest, message: message, status: .badRequest) }
    static func invalidClient(_ message: String, basic: Bool) -> Self {
        .init(code: .invalidClient, message: message, status: .unauthorized, challengesBasic: basic)
    }
    static func invalidGrant(_ message: String) -> Self { .init(code: .invalidGrant, message: message, status: .badRequest) }
    static func unauthorizedClient(_ message: String) -> Self { .init(code: .unauthorizedClient, message: message, status: .badRequest) }
    static func unsupportedGrantType(_ message: String) -> Self {
        .init(code: .unsupportedGrantType, message: message, status: .badRequest)
    }
    static func unsupportedResponseType(_ message: String) -> Self {
        .init(code: .unsupportedResponseType, message: message, status: .badRequest)
    }
    static func invalidScope(_ message: String) -> Self { .init(code: .invalidScope, message: message, status: .badRequest) }
    static func accessDenied(_ message: String) -> Self { .init(code: .accessDenied, message: message, status: .badRequest) }
    static func loginRequired(_ message: String) -> Self { .init(code: .loginRequired, message: message, status: .badRequest) }
    static func invalidTarget(_ message: String) -> Self { .init(code: .invalidTarget, message: message, status: .badRequest) }
    static func invalidRequestURI(_ message: String) -> Self { .init(code: .invalidRequestURI, message: message, status: .badRequest) }
    static func invalidDPoPProof(_ message: String) -> Self { .init(code: .invalidDPoPProof, message: message, status: .badRequest) }
    static func useDPoPNonce(_ nonce: String) -> Self {
        .init(code: .useDPoPNonce, message: "The DPoP proof must carry the server's nonce.", status: .badRequest, dpopNonce: nonce)
    }
    static func invalidToken(_ message: String) -> Self { .init(code: .invalidToken, message: message, status: .unauthorized) }
}

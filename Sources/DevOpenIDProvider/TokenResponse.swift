/// A successful token endpoint answer (RFC 6749 §5.1, OIDC Core §3.1.3.3).
struct TokenResponse: Codable, Sendable {
    var access_token: String
    var token_type = "Bearer"
    var expires_in: Int
    var refresh_token: String?
    var id_token: String?
    var scope: String
    /// Token exchange (RFC 8693 §2.2.1) names what it issued.
    var issued_token_type: String?
}

/// The claims of an ID token the provider issues (OIDC Core §2), plus profile claims for the granted scopes.
struct IDTokenClaims: Codable, Sendable {
    var iss: String
    var sub: String
    var aud: String
    var exp: Int
    var iat: Int
    var auth_time: Int
    var acr: String?
    var nonce: String?
    var sid: String
    var azp: String
    var name: String?
    var preferred_username: String?
    var email: String?
    var email_verified: Bool?
    var groups: [String]?
}

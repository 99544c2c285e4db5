/// A userinfo answer (OIDC Core §5.3.2).
struct UserInfo: Codable, Sendable {
    var sub: String
    var name: String?
    var preferred_username: String?
    var email: String?
    var email_verified: Bool?
}

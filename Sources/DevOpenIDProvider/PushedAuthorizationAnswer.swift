/// The `201` body of `/par` (RFC 9126 §2.2).
struct PushedAuthorizationAnswer: Codable, Sendable {
    var request_uri: String
    var expires_in: Int
}

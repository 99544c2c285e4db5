/// An RFC 7662 introspection answer.
struct Introspection: Codable, Sendable {
    var active: Bool
    var client_id: String?
    var sub: String?
    var scope: String?
    var exp: Int?
    var token_type: String?
    var iss: String?
    var aud: String?
}

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
    /// RFC 7800 confirmation: the DPoP key thumbprint of a bound token (RFC 9449 §6.2).
    var cnf: Confirmation?

    struct Confirmation: Codable, Sendable {
        var jkt: String
    }
}

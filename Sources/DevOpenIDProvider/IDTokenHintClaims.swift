/// What the end-session endpoint reads from an `id_token_hint`.
struct IDTokenHintClaims: Decodable, Sendable {
    var iss: String
    var sub: String
    var aud: String
    var sid: String?
}

/// A JWK as on the wire (RFC 7517 §4), only the members needed for signature verification.
struct JSONWebKey: Decodable, Sendable {
    var kty: String
    var kid: String?
    var alg: String?
    var use: String?
    var key_ops: [String]?
    var n: String?
    var e: String?
    var crv: String?
    var x: String?
    var y: String?
}

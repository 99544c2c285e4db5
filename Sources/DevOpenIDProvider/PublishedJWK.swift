/// A public key as the JWKS endpoint publishes it.
struct PublishedJWK: Codable, Sendable {
    var kty: String
    var kid: String
    var alg: String
    var use: String
    var n: String
    var e: String
}

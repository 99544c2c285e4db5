/// The JWKS endpoint's document.
struct JWKSDocument: Codable, Sendable {
    var keys: [PublishedJWK]
}

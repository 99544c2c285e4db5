import JWTKit

/// ID-token claims as the tests read them, verified by jwt-kit (an implementation independent of the provider's).
struct TestIDTokenClaims: JWTPayload {
    var iss: String
    var sub: String
    var aud: String
    var exp: Int
    var iat: Int
    var auth_time: Int
    var nonce: String?
    var sid: String
    var azp: String
    var name: String?
    var preferred_username: String?
    var email: String?
    var email_verified: Bool?

    func verify(using _: some JWTAlgorithm) async throws {}
}

import JWTKit

/// Logout-token claims as the tests read them.
struct TestLogoutTokenClaims: JWTPayload {
    var iss: String
    var aud: String
    var iat: Int
    var jti: String
    var events: [String: [String: String]]
    var sid: String?
    var sub: String?
    var nonce: String?

    func verify(using _: some JWTAlgorithm) async throws {}
}

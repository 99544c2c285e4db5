import Foundation
import JWTKit

/// A `private_key_jwt` client assertion (RFC 7523).
struct TestClientAssertion: JWTPayload {
    var iss: String
    var sub: String
    var aud: String
    var exp: Int
    var iat: Int
    var jti: String

    init(clientID: String, audience: String, jti: String = UUID().uuidString) {
        let now = Int(Date().timeIntervalSince1970)
        iss = clientID
        sub = clientID
        aud = audience
        exp = now + 60
        iat = now
        self.jti = jti
    }

    func verify(using _: some JWTAlgorithm) async throws {}
}

import Foundation
import JWTKit

/// Verifies and inspects JWTs with jwt-kit, not with the provider's code.
enum TestJWT {
    /// Verifies `token` with the keys of a JWKS document.
    static func verify<Payload: JWTPayload>(_ token: String, as type: Payload.Type, jwks: String) async throws -> Payload {
        let keys = JWTKeyCollection()
        try await keys.add(jwksJSON: jwks)
        return try await keys.verify(token, as: type)
    }

    /// The decoded protected header of a compact JWS.
    static func header(of token: String) -> [String: String] {
        guard let first = token.split(separator: ".").first, let data = TestPKCE.base64URLDecode(first),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return [:] }
        return object.compactMapValues { $0 as? String }
    }
}

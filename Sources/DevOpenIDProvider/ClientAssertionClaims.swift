/// The claims the provider reads from a `private_key_jwt` client assertion (RFC 7523 §3).
struct ClientAssertionClaims: Decodable, Sendable {
    var iss: String
    var sub: String
    /// `aud` as a list, whether the token carried a string or an array.
    var aud: [String]
    var exp: Double
    var nbf: Double?
    var jti: String

    private enum CodingKeys: String, CodingKey {
        case iss, sub, aud, exp, nbf, jti
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        iss = try container.decode(String.self, forKey: .iss)
        sub = try container.decode(String.self, forKey: .sub)
        if let single = try? container.decode(String.self, forKey: .aud) {
            aud = [single]
        } else {
            aud = try container.decode([String].self, forKey: .aud)
        }
        exp = try container.decode(Double.self, forKey: .exp)
        nbf = try container.decodeIfPresent(Double.self, forKey: .nbf)
        jti = try container.decode(String.self, forKey: .jti)
    }
}

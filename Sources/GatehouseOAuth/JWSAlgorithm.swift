/// The asymmetric JWS algorithms Gatehouse accepts (RFC 7518 §3).
///
/// There is deliberately no `none` and no `HS*`: a public key must never be usable as an HMAC
/// secret, and an unsigned token must never validate.
package enum JWSAlgorithm: String, Sendable, Hashable, CaseIterable {
    case rs256 = "RS256"
    case rs384 = "RS384"
    case rs512 = "RS512"
    case ps256 = "PS256"
    case ps384 = "PS384"
    case ps512 = "PS512"
    case es256 = "ES256"
    case es384 = "ES384"
    case es512 = "ES512"

    /// Whether the algorithm uses an RSA key.
    var isRSA: Bool {
        switch self {
        case .rs256, .rs384, .rs512, .ps256, .ps384, .ps512: true
        case .es256, .es384, .es512: false
        }
    }
}

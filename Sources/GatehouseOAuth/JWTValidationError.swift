/// Why an ID token or logout token was rejected.
///
/// Descriptions name the failed check, never the token or claim values from it.
package struct JWTValidationError: Error, Hashable, CustomStringConvertible {
    private enum Code: Hashable {
        case malformed
        case unsupportedAlgorithm
        case algorithmNotAllowed
        case missingKeyID
        case unknownKeyID
        case badSignature
        case invalidIssuer
        case invalidAudience
        case invalidAuthorizedParty
        case expired
        case notYetValid
        case issuedInFuture
        case tooOld
        case missingClaim
        case missingNonce
        case nonceMismatch
        case subjectMismatch
        case invalidType
        case missingLogoutEvent
        case nonceNotAllowed
        case missingSubjectAndSessionID
    }

    private let code: Code
    private let detail: String

    private init(_ code: Code, _ detail: String = "") {
        self.code = code
        self.detail = detail
    }

    /// Not a compact JWS with JSON header and payload, or an unsupported `crit` header.
    package static let malformed = Self(.malformed)
    /// `alg` is `none`, an HMAC algorithm or unknown.
    package static let unsupportedAlgorithm = Self(.unsupportedAlgorithm)
    /// The key exists but is not pinned to the header's `alg`.
    package static let algorithmNotAllowed = Self(.algorithmNotAllowed)
    /// No `kid` and more than one candidate key.
    package static let missingKeyID = Self(.missingKeyID)
    /// The `kid` is not in the key set; the caller may refetch the JWKS (see ``JWKSRefetchPolicy``).
    package static let unknownKeyID = Self(.unknownKeyID)
    /// The signature does not verify.
    package static let badSignature = Self(.badSignature)
    /// `iss` is not the expected issuer.
    package static let invalidIssuer = Self(.invalidIssuer)
    /// `aud` does not contain the client id, or names an untrusted audience.
    package static let invalidAudience = Self(.invalidAudience)
    /// `azp` is missing with several audiences, or is not the client id.
    package static let invalidAuthorizedParty = Self(.invalidAuthorizedParty)
    /// `exp` has passed (beyond the leeway).
    package static let expired = Self(.expired)
    /// `nbf` is still ahead (beyond the leeway).
    package static let notYetValid = Self(.notYetValid)
    /// `iat` is in the future (beyond the leeway).
    package static let issuedInFuture = Self(.issuedInFuture)
    /// `iat` is older than the validator accepts.
    package static let tooOld = Self(.tooOld)
    /// A required claim is missing or has the wrong type.
    package static let missingClaim = Self(.missingClaim)
    /// A nonce was expected but the token has none.
    package static let missingNonce = Self(.missingNonce)
    /// The token's `nonce` is not the one sent in the authorization request.
    package static let nonceMismatch = Self(.nonceMismatch)
    /// A refreshed ID token names another `sub` than the session.
    package static let subjectMismatch = Self(.subjectMismatch)
    /// A logout token's `typ` is not `logout+jwt`, or a logout token was presented as an ID token.
    package static let invalidType = Self(.invalidType)
    /// `events` lacks the back-channel logout event.
    package static let missingLogoutEvent = Self(.missingLogoutEvent)
    /// A logout token carries a `nonce`.
    package static let nonceNotAllowed = Self(.nonceNotAllowed)
    /// A logout token has neither `sid` nor `sub`.
    package static let missingSubjectAndSessionID = Self(.missingSubjectAndSessionID)

    func detailed(_ detail: String) -> Self { Self(self.code, detail) }

    /// Errors compare by kind only.
    package static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    package func hash(into hasher: inout Hasher) { hasher.combine(self.code) }

    /// The failed check.
    package var description: String {
        let text: String =
            switch self.code {
            case .malformed: "token is malformed"
            case .unsupportedAlgorithm: "token algorithm is not an accepted asymmetric algorithm"
            case .algorithmNotAllowed: "token algorithm is not allowed for the signing key"
            case .missingKeyID: "token has no kid and the key set has several candidate keys"
            case .unknownKeyID: "token kid is not in the provider's key set"
            case .badSignature: "token signature is invalid"
            case .invalidIssuer: "token iss is not the configured issuer"
            case .invalidAudience: "token aud does not name this client, or names an untrusted audience"
            case .invalidAuthorizedParty: "token azp is missing or is not this client"
            case .expired: "token has expired"
            case .notYetValid: "token is not valid yet (nbf)"
            case .issuedInFuture: "token iat is in the future; check clocks"
            case .tooOld: "token iat is too old"
            case .missingClaim: "token lacks a required claim"
            case .missingNonce: "token has no nonce"
            case .nonceMismatch: "token nonce does not match the login request"
            case .subjectMismatch: "refreshed ID token names another subject than the session"
            case .invalidType: "token has the wrong type (ID token and logout token confused)"
            case .missingLogoutEvent: "logout token lacks the back-channel logout event"
            case .nonceNotAllowed: "logout token must not carry a nonce"
            case .missingSubjectAndSessionID: "logout token has neither sid nor sub"
            }
        return self.detail.isEmpty ? text : "\(text) (\(self.detail))"
    }
}

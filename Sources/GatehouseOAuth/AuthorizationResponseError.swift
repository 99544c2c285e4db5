/// Why an authorization response (the `/bff/callback` query) was rejected.
package struct AuthorizationResponseError: Error, Hashable, CustomStringConvertible {
    private enum Code: Hashable {
        case duplicateParameter
        case missingState
        case missingCode
        case missingIssuer
        case issuerMismatch
        case oversized
    }

    private let code: Code

    /// A response parameter appears more than once.
    package static let duplicateParameter = Self(code: .duplicateParameter)
    /// There is no `state`.
    package static let missingState = Self(code: .missingState)
    /// There is neither `code` nor `error`.
    package static let missingCode = Self(code: .missingCode)
    /// The provider advertises RFC 9207 but sent no `iss`.
    package static let missingIssuer = Self(code: .missingIssuer)
    /// `iss` is not the configured issuer: a possible mix-up attack (RFC 9207 §2.4).
    package static let issuerMismatch = Self(code: .issuerMismatch)

    /// A parameter is longer than any provider sends (``AuthorizationResponse/maximumParameterLength``).
    package static let oversized = Self(code: .oversized)

    /// What went wrong.
    package var description: String {
        switch self.code {
        case .duplicateParameter: "authorization response repeats a parameter"
        case .missingState: "authorization response has no state"
        case .missingCode: "authorization response has neither code nor error"
        case .missingIssuer: "authorization response lacks the iss parameter the provider advertises (RFC 9207)"
        case .issuerMismatch: "authorization response iss is not the configured issuer (RFC 9207 mix-up defense)"
        case .oversized: "authorization response parameter longer than 2 KiB"
        }
    }
}

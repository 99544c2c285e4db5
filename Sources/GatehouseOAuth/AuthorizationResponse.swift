/// The parameters the provider sends back to `/bff/callback` (RFC 6749 §4.1.2, RFC 9207).
package struct AuthorizationResponse: Sendable {
    /// What the provider answered.
    package enum Outcome: Sendable {
        /// The user authorized; exchange the code.
        case code(AuthorizationCode)
        /// The provider refused, e.g. `access_denied` or `login_required`.
        case error(OAuthErrorCode, description: String?)
    }

    /// `state`: look it up (and consume it) before acting on the outcome.
    package let state: String
    /// `iss`, when sent.
    package let issuer: String?
    /// The code or the provider's error.
    package let outcome: Outcome

    /// The longest `code`, `state` or other parameter accepted (PRODUCT.md "Hostile input"):
    /// far above what providers send, and refused before any lookup or provider call.
    package static let maximumParameterLength = 2048

    /// Reads the callback's query parameters (already form-decoded).
    package init(parameters: [(name: String, value: String)]) throws(AuthorizationResponseError) {
        var values = [String: String]()
        for (name, value) in parameters {
            guard value.utf8.count <= Self.maximumParameterLength else { throw .oversized }
            // RFC 6749 §3.1: parameters must not repeat; a repeat is how some injection attacks look.
            guard values.updateValue(value, forKey: name) == nil else { throw .duplicateParameter }
        }
        guard let state = values["state"], !state.isEmpty else { throw .missingState }
        self.state = state
        self.issuer = values["iss"]
        if let error = values["error"] {
            self.outcome = .error(OAuthErrorCode(error), description: values["error_description"])
        } else if let code = values["code"], !code.isEmpty {
            self.outcome = .code(AuthorizationCode(code))
        } else {
            throw .missingCode
        }
    }

    /// The RFC 9207 check: `iss` must equal `expectedIssuer` when present, and must be present
    /// when the provider advertises `authorization_response_iss_parameter_supported`.
    package func checkIssuer(expected expectedIssuer: String, required: Bool) throws(AuthorizationResponseError) {
        try Self.checkIssuer(self.issuer, expected: expectedIssuer, required: required)
    }

    /// The RFC 9207 check on a raw `iss` value.
    package static func checkIssuer(_ issuer: String?, expected expectedIssuer: String, required: Bool) throws(AuthorizationResponseError) {
        guard let issuer else {
            if required { throw .missingIssuer }
            return
        }
        guard issuer == expectedIssuer else { throw .issuerMismatch }
    }
}

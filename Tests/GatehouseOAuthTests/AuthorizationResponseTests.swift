import GatehouseOAuth
import Testing

@Suite("Authorization response and RFC 9207")
struct AuthorizationResponseTests {
    let issuer = "https://idp.example.com"

    @Test("a code response gives the code and state")
    func code() throws {
        let response = try AuthorizationResponse(parameters: [("code", "c1"), ("state", "s1"), ("iss", issuer)])
        #expect(response.state == "s1")
        guard case .code(let code) = response.outcome else {
            Issue.record("expected a code")
            return
        }
        #expect(code.value == "c1")
        try response.checkIssuer(expected: issuer, required: true)
    }

    @Test("a provider error decodes into its error code")
    func providerError() throws {
        let response = try AuthorizationResponse(parameters: [("error", "access_denied"), ("state", "s1")])
        guard case .error(let code, _) = response.outcome else {
            Issue.record("expected an error")
            return
        }
        #expect(code == .accessDenied)
    }

    @Test("iss is required when the provider advertises it, and must equal the issuer")
    func issuerCheck() throws {
        let missing = try AuthorizationResponse(parameters: [("code", "c"), ("state", "s")])
        #expect(throws: AuthorizationResponseError.missingIssuer) { try missing.checkIssuer(expected: issuer, required: true) }
        try missing.checkIssuer(expected: issuer, required: false)
        let mixedUp = try AuthorizationResponse(parameters: [("code", "c"), ("state", "s"), ("iss", "https://attacker.example")])
        #expect(throws: AuthorizationResponseError.issuerMismatch) { try mixedUp.checkIssuer(expected: issuer, required: false) }
    }

    @Test("missing state, missing code and repeated parameters are rejected")
    func malformed() {
        #expect(throws: AuthorizationResponseError.missingState) { try AuthorizationResponse(parameters: [("code", "c")]) }
        #expect(throws: AuthorizationResponseError.missingCode) { try AuthorizationResponse(parameters: [("state", "s")]) }
        #expect(throws: AuthorizationResponseError.duplicateParameter) {
            try AuthorizationResponse(parameters: [("code", "c"), ("state", "s"), ("code", "d")])
        }
    }
}

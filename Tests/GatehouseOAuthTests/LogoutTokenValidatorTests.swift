import Foundation
import GatehouseOAuth
import Testing

@Suite("Logout token validation")
struct LogoutTokenValidatorTests {
    let keys = TestKeys.shared
    let now = Date(timeIntervalSince1970: 1_700_000_000)
    let validator = LogoutTokenValidator(issuer: "https://idp.example.com", clientID: "spa-bff")

    func token(_ changes: [String: Any?] = [:], typ: String? = "logout+jwt") -> String {
        var claims: [String: Any] = [
            "iss": "https://idp.example.com", "aud": "spa-bff", "iat": Int(now.timeIntervalSince1970) - 5,
            "jti": "jti-1", "sid": "sid-1", "sub": "user-1",
            "events": [LogoutTokenValidator.backchannelLogoutEvent: [String: Any]()],
        ]
        for (name, value) in changes { claims[name] = value }
        var header: [String: Any] = ["alg": "RS256", "kid": "rsa-1"]
        if let typ { header["typ"] = typ }
        return TestKeys.token(header: header, claims: claims, signature: .rs256(keys.rsa))
    }

    func validate(_ token: String) throws(JWTValidationError) -> LogoutTokenClaims {
        try validator.validate(token, keys: keys.keySet(), now: now)
    }

    @Test("a valid logout token gives sid, sub and jti")
    func valid() throws {
        let claims = try validate(token())
        #expect(claims.sessionID == "sid-1")
        #expect(claims.subject == "user-1")
        #expect(claims.tokenID == "jti-1")
    }

    @Test("a logout token with only sid or only sub is valid; with neither it is rejected")
    func sidOrSub() throws {
        #expect(try validate(token(["sub": nil])).subject == nil)
        #expect(try validate(token(["sid": nil])).sessionID == nil)
        #expect(throws: JWTValidationError.missingSubjectAndSessionID) { try validate(token(["sid": nil, "sub": nil])) }
    }

    @Test("a logout token with a nonce is rejected")
    func nonce() {
        #expect(throws: JWTValidationError.nonceNotAllowed) { try validate(token(["nonce": "n"])) }
    }

    @Test("a logout token without the back-channel logout event is rejected")
    func events() {
        #expect(throws: JWTValidationError.missingLogoutEvent) { try validate(token(["events": nil])) }
        #expect(throws: JWTValidationError.missingLogoutEvent) { try validate(token(["events": ["http://other": [String: Any]()]])) }
    }

    @Test("a logout token without jti is rejected")
    func jti() {
        #expect(throws: JWTValidationError.missingClaim) { try validate(token(["jti": nil])) }
    }

    @Test("a logout token with another typ is rejected; without typ it is accepted")
    func typ() throws {
        #expect(throws: JWTValidationError.invalidType) { try validate(token(typ: "JWT")) }
        #expect(try validate(token(typ: nil)).tokenID == "jti-1")
    }

    @Test("a logout token for another issuer or audience, or from the future or too old, is rejected")
    func claims() {
        #expect(throws: JWTValidationError.invalidIssuer) { try validate(token(["iss": "https://other"])) }
        #expect(throws: JWTValidationError.invalidAudience) { try validate(token(["aud": "other"])) }
        #expect(throws: JWTValidationError.issuedInFuture) { try validate(token(["iat": Int(now.timeIntervalSince1970) + 600])) }
        #expect(throws: JWTValidationError.tooOld) { try validate(token(["iat": Int(now.timeIntervalSince1970) - 3600])) }
        #expect(throws: JWTValidationError.missingClaim) { try validate(token(["iat": nil])) }
    }

    @Test("a logout token with a bad signature is rejected")
    func signature() {
        let forged = TestKeys.token(
            header: ["alg": "RS256", "kid": "rsa-1", "typ": "logout+jwt"],
            claims: ["iss": "https://idp.example.com", "aud": "spa-bff", "iat": Int(now.timeIntervalSince1970), "jti": "j", "sid": "s",
                     "events": [LogoutTokenValidator.backchannelLogoutEvent: [String: Any]()]],
            signature: .rs256(keys.otherRSA)
        )
        #expect(throws: JWTValidationError.badSignature) { try validate(forged) }
    }
}

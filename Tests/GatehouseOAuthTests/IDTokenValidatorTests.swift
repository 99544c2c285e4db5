import Foundation
import GatehouseOAuth
import Testing

@Suite("ID token validation")
struct IDTokenValidatorTests {
    let keys = TestKeys.shared
    let now = Date(timeIntervalSince1970: 1_700_000_000)
    let issuer = "https://idp.example.com/realms/x"
    let validator = IDTokenValidator(issuer: "https://idp.example.com/realms/x", clientID: "spa-bff", leeway: .seconds(30))

    func claims(_ changes: [String: Any?] = [:]) -> [String: Any] {
        var claims: [String: Any] = [
            "iss": issuer, "aud": "spa-bff", "sub": "user-1", "sid": "sid-1", "nonce": "n-123",
            "iat": Int(now.timeIntervalSince1970) - 10, "exp": Int(now.timeIntervalSince1970) + 300,
            "name": "Ada", "email_verified": true,
        ]
        for (name, value) in changes { claims[name] = value }
        return claims
    }

    func rs256(_ claims: [String: Any], kid: String = "rsa-1") -> IDToken {
        IDToken(TestKeys.token(header: ["alg": "RS256", "kid": kid, "typ": "JWT"], claims: claims, signature: .rs256(keys.rsa)))
    }

    func validate(_ token: IDToken, nonce: String = "n-123") throws(JWTValidationError) -> IDTokenClaims {
        try validator.validate(token, keys: keys.keySet(), purpose: .login(nonce: nonce), now: now)
    }

    @Test("a correctly signed RS256 token with matching claims validates and returns its claims")
    func happyPath() throws {
        let claims = try validate(rs256(claims()))
        #expect(claims.subject == "user-1")
        #expect(claims.sessionID == "sid-1")
        #expect(claims.audiences == ["spa-bff"])
        #expect(claims.expiresAt == now.addingTimeInterval(300))
        #expect(claims.all["name"] == .string("Ada"))
        #expect(claims.all["email_verified"] == .bool(true))
    }

    @Test("an ES256 token signed by the EC key validates")
    func es256() throws {
        let token = IDToken(TestKeys.token(header: ["alg": "ES256", "kid": "ec-1"], claims: claims(), signature: .es256(keys.ec)))
        #expect(try validate(token).subject == "user-1")
    }

    @Test("a token signed by another key is rejected as a bad signature")
    func badSignature() {
        let token = IDToken(TestKeys.token(header: ["alg": "RS256", "kid": "rsa-1"], claims: claims(), signature: .rs256(keys.otherRSA)))
        #expect(throws: JWTValidationError.badSignature) { try validate(token) }
    }

    @Test("a token whose payload was altered after signing is rejected")
    func alteredPayload() {
        let good = rs256(claims()).value.split(separator: ".").map(String.init)
        let forged = TestKeys.token(header: ["alg": "RS256", "kid": "rsa-1"], claims: claims(["sub": "admin"]), signature: .none)
            .split(separator: ".").map(String.init)
        let token = IDToken([good[0], forged[1], good[2]].joined(separator: "."))
        #expect(throws: JWTValidationError.badSignature) { try validate(token) }
    }

    @Test("an unsigned token with alg none is rejected")
    func algNone() {
        let token = IDToken(TestKeys.token(header: ["alg": "none", "kid": "rsa-1"], claims: claims(), signature: .none))
        #expect(throws: JWTValidationError.unsupportedAlgorithm) { try validate(token) }
    }

    @Test("an HS256 token keyed with the RSA public key is rejected")
    func hs256WithPublicKey() {
        let publicKeyBytes = Array(keys.rsa.publicKey.pemRepresentation.utf8)
        let token = IDToken(TestKeys.token(header: ["alg": "HS256", "kid": "rsa-1"], claims: claims(), signature: .hs256(secret: publicKeyBytes)))
        #expect(throws: JWTValidationError.unsupportedAlgorithm) { try validate(token) }
        let der = IDToken(TestKeys.token(header: ["alg": "HS256", "kid": "rsa-1"], claims: claims(), signature: .hs256(secret: Array(keys.rsa.publicKey.derRepresentation))))
        #expect(throws: JWTValidationError.unsupportedAlgorithm) { try validate(der) }
    }

    @Test("a token from another issuer is rejected")
    func wrongIssuer() {
        #expect(throws: JWTValidationError.invalidIssuer) { try validate(rs256(claims(["iss": "https://idp.example.com/realms/y"]))) }
        #expect(throws: JWTValidationError.invalidIssuer) { try validate(rs256(claims(["iss": issuer + "/"]))) }
    }

    @Test("a token for another audience is rejected")
    func wrongAudience() {
        #expect(throws: JWTValidationError.invalidAudience) { try validate(rs256(claims(["aud": "other-client"]))) }
        #expect(throws: JWTValidationError.invalidAudience) { try validate(rs256(claims(["aud": ["other-client"]]))) }
    }

    @Test("an untrusted extra audience is rejected even with the right azp")
    func untrustedExtraAudience() {
        #expect(throws: JWTValidationError.invalidAudience) {
            try validate(rs256(claims(["aud": ["spa-bff", "evil"], "azp": "spa-bff"])))
        }
    }

    @Test("an expired token is rejected, but one within the leeway is accepted")
    func expired() throws {
        let past = Int(now.timeIntervalSince1970) - 31
        #expect(throws: JWTValidationError.expired) { try validate(rs256(claims(["exp": past, "iat": past - 60]))) }
        let justExpired = Int(now.timeIntervalSince1970) - 5
        #expect(try validate(rs256(claims(["exp": justExpired, "iat": justExpired - 60]))).subject == "user-1")
    }

    @Test("a token issued in the future or not yet valid is rejected")
    func futureToken() {
        let future = Int(now.timeIntervalSince1970) + 120
        #expect(throws: JWTValidationError.issuedInFuture) { try validate(rs256(claims(["iat": future]))) }
        #expect(throws: JWTValidationError.notYetValid) { try validate(rs256(claims(["nbf": future]))) }
    }

    @Test("a token whose nonce differs from the login request's is rejected")
    func nonceMismatch() {
        #expect(throws: JWTValidationError.nonceMismatch) { try validate(rs256(claims()), nonce: "other") }
        #expect(throws: JWTValidationError.missingNonce) { try validate(rs256(claims(["nonce": nil]))) }
    }

    @Test("a token with an unknown kid is rejected as unknown kid, not as a bad signature")
    func unknownKid() {
        #expect(throws: JWTValidationError.unknownKeyID) { try validate(rs256(claims(), kid: "rotated-2"))}
    }

    @Test("a token whose azp is not the client is rejected")
    func azpMismatch() {
        #expect(throws: JWTValidationError.invalidAuthorizedParty) { try validate(rs256(claims(["azp": "other-client"]))) }
    }

    @Test("a token with several audiences but no azp is rejected")
    func severalAudiencesNeedAzp() throws {
        let validator = IDTokenValidator(issuer: issuer, clientID: "spa-bff", trustedAudiences: ["api"])
        let token = rs256(claims(["aud": ["spa-bff", "api"]]))
        #expect(throws: JWTValidationError.invalidAuthorizedParty) {
            try validator.validate(token, keys: keys.keySet(), purpose: .login(nonce: "n-123"), now: now)
        }
        let withAzp = rs256(claims(["aud": ["spa-bff", "api"], "azp": "spa-bff"]))
        #expect(try validator.validate(withAzp, keys: keys.keySet(), purpose: .login(nonce: "n-123"), now: now).audiences == ["spa-bff", "api"])
    }

    @Test("an RS256 token with the EC key's kid is rejected: the key is pinned to ES256")
    func algorithmPinnedPerKey() {
        #expect(throws: JWTValidationError.algorithmNotAllowed) { try validate(rs256(claims(), kid: "ec-1")) }
    }

    @Test("a forged PS256 token does not stop later valid RS256 tokens from validating")
    func forgedPS256DoesNotPoisonKey() throws {
        // The JWK names no alg: it is pinned from the provider's list instead of by the first token.
        let jwks = try JWKSet(jwks: TestKeys.jwksJSON([TestKeys.rsaJWK(keys.rsa.publicKey, kid: "rsa-1", alg: nil)]), fallbackAlgorithms: ["RS256"])
        let forged = IDToken(TestKeys.token(header: ["alg": "PS256", "kid": "rsa-1"], claims: claims(), signature: .ps256(keys.otherRSA)))
        #expect(throws: JWTValidationError.algorithmNotAllowed) {
            try validator.validate(forged, keys: jwks, purpose: .login(nonce: "n-123"), now: now)
        }
        #expect(try validator.validate(rs256(claims()), keys: jwks, purpose: .login(nonce: "n-123"), now: now).subject == "user-1")
    }

    @Test("a token without kid validates only when a single key fits its algorithm")
    func missingKid() throws {
        let noKid = IDToken(TestKeys.token(header: ["alg": "RS256"], claims: claims(), signature: .rs256(keys.rsa)))
        #expect(try validate(noKid).subject == "user-1")
        let two = try JWKSet(jwks: TestKeys.jwksJSON([
            TestKeys.rsaJWK(keys.rsa.publicKey, kid: "a"), TestKeys.rsaJWK(keys.otherRSA.publicKey, kid: "b"),
        ]))
        #expect(throws: JWTValidationError.missingKeyID) {
            try validator.validate(noKid, keys: two, purpose: .login(nonce: "n-123"), now: now)
        }
    }

    @Test("a token with a crit header or garbage parts is rejected as malformed")
    func malformed() {
        let crit = IDToken(TestKeys.token(header: ["alg": "RS256", "kid": "rsa-1", "crit": ["exp"]], claims: claims(), signature: .rs256(keys.rsa)))
        #expect(throws: JWTValidationError.malformed) { try validate(crit) }
        #expect(throws: JWTValidationError.malformed) { try validate(IDToken("not.a.jwt")) }
        #expect(throws: JWTValidationError.malformed) { try validate(IDToken("onlyonepart")) }
        #expect(throws: JWTValidationError.malformed) { try validate(IDToken("")) }
    }

    @Test("a refreshed ID token may lack a nonce but must keep the session's subject")
    func refreshedToken() throws {
        let token = rs256(claims(["nonce": nil]))
        let claims = try validator.validate(token, keys: keys.keySet(), purpose: .refresh(subject: "user-1"), now: now)
        #expect(claims.nonce == nil)
        #expect(throws: JWTValidationError.subjectMismatch) {
            try validator.validate(token, keys: keys.keySet(), purpose: .refresh(subject: "user-2"), now: now)
        }
    }

    @Test("a logout token is never accepted as an ID token")
    func logoutTokenIsNotAnIDToken() {
        let typed = IDToken(TestKeys.token(header: ["alg": "RS256", "kid": "rsa-1", "typ": "logout+jwt"], claims: claims(["nonce": nil]), signature: .rs256(keys.rsa)))
        #expect(throws: JWTValidationError.invalidType) {
            try validator.validate(typed, keys: keys.keySet(), purpose: .refresh(subject: "user-1"), now: now)
        }
        let untyped = rs256(claims(["nonce": nil, "events": [LogoutTokenValidator.backchannelLogoutEvent: [String: Any]()]]))
        #expect(throws: JWTValidationError.invalidType) {
            try validator.validate(untyped, keys: keys.keySet(), purpose: .refresh(subject: "user-1"), now: now)
        }
    }

    @Test("error descriptions never contain the token")
    func errorsHideToken() {
        let token = rs256(claims(["aud": "other"]))
        do {
            _ = try validate(token)
            Issue.record("expected a failure")
        } catch {
            #expect(!error.description.contains(token.value))
            #expect(!error.description.contains("other"))
        }
    }
}

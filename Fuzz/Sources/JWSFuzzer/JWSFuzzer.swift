// libFuzzer harness for compact JWS parsing and ID-token / logout-token validation
// (Sources/GatehouseOAuth/SignedJWT.swift, IDTokenValidator.swift, LogoutTokenValidator.swift,
// ClaimChecks.swift), with a fixed key set and a fixed `now`.
//
// The first input byte picks the mode:
// - even: the rest is the token as received. Signatures fail, so nothing may validate unless the
//   signature really verifies under the fixed EC key (checked independently here): no forgery,
//   no `alg: none`/`HS256` confusion, no crash on any shape of token.
// - odd: the rest is `header JSON \n claims JSON` (or only claims, with a fixed ES256 header); the
//   harness signs it with the fixed private key, so the claim checks behind the signature run.
//   What validates must satisfy the rules written out below.

import Crypto
import Foundation
import FuzzKeys
import GatehouseOAuth

private let fixture = Fixture()

/// Builds the fixture before libFuzzer counts allocations.
func warmUpJWS() { _ = fixture }

func fuzzJWS(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard size > 0, let data else { return 0 }
    let rest = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let token: String
    let signedHere = data[0] & 1 == 1
    if signedHere {
        let header: [UInt8]
        let claims: [UInt8]
        if let newline = rest.firstIndex(of: UInt8(ascii: "\n")) {
            header = Array(rest[..<newline])
            claims = Array(rest[(newline + 1)...])
        } else {
            header = Array(#"{"alg":"ES256","kid":"ec-1","typ":"JWT"}"#.utf8)
            claims = rest
        }
        token = fixture.sign(header: header, claims: claims)
    } else {
        token = String(decoding: rest, as: UTF8.self)
    }

    // The key set is parsed for every input rather than kept in a global: a `VerificationKey`
    // holds its key in a multi-payload enum, whose class references carry tag bits that
    // LeakSanitizer cannot follow, so a global key set reads as a leak.
    let keys = try! JWKSet(jwks: fixture.jwks, fallbackAlgorithms: ["RS256", "PS256"])
    let login = Result { () throws(JWTValidationError) in
        try fixture.idTokens.validate(IDToken(token), keys: keys, purpose: .login(nonce: Fixture.nonce), now: Fixture.now)
    }
    let refresh = Result { () throws(JWTValidationError) in
        try fixture.idTokens.validate(IDToken(token), keys: keys, purpose: .refresh(subject: "alice"), now: Fixture.now)
    }
    let logoutResult = Result { () throws(JWTValidationError) in try fixture.logoutTokens.validate(token, keys: keys, now: Fixture.now) }
    if fixture.verbose { print("login: \(login)\nrefresh: \(refresh)\nlogout: \(logoutResult)") }
    let idClaims = try? login.get()
    let refreshed = try? refresh.get()
    let logout = try? logoutResult.get()
    if idClaims == nil && refreshed == nil && logout == nil { return 0 }

    // Something validated: it must be genuinely signed by the fixed key and obey the rules.
    let parts = token.split(separator: ".", omittingEmptySubsequences: false)
    precondition(parts.count == 3, "validated a token without three parts")
    precondition(fixture.verifiesIndependently(parts), "validated a token the fixed key did not sign: \(token)")
    guard let header = Fixture.json(parts[0]), let claims = Fixture.json(parts[1]) else {
        preconditionFailure("validated a token whose header or claims are not JSON objects: \(token)")
    }
    precondition(header["alg"]?.stringValue == "ES256", "the EC key is pinned to ES256, but alg is \(String(describing: header["alg"]))")
    precondition(header["kid"] == nil || header["kid"]?.stringValue == "ec-1", "validated with a kid that names no EC key")
    precondition(header["crit"] == nil, "validated a token with crit")
    precondition(claims["iss"]?.stringValue == Fixture.issuer, "wrong issuer validated")
    let audiences: [String]
    switch claims["aud"] {
    case .string(let value)?: audiences = [value]
    case .array(let values)?: audiences = values.compactMap(\.stringValue)
    default: audiences = []
    }
    precondition(audiences.contains(Fixture.clientID), "validated without the client in aud")
    precondition(audiences.allSatisfy { $0 == Fixture.clientID || $0 == Fixture.trustedAudience }, "validated with an untrusted audience")
    let leeway = 60.0
    let now = Fixture.now.timeIntervalSince1970
    if let exp = claims["exp"]?.numericValue { precondition(now < exp + leeway, "validated an expired token") }
    if let nbf = claims["nbf"]?.numericValue { precondition(now + leeway >= nbf, "validated a token before nbf") }
    if let iat = claims["iat"]?.numericValue { precondition(iat <= now + leeway, "validated a token issued in the future") }
    precondition(idClaims == nil || logout == nil, "one token validated as both an ID token and a logout token")

    for result in [idClaims, refreshed].compactMap({ $0 }) {
        let typ = header["typ"]?.stringValue?.lowercased() ?? ""
        precondition(!typ.hasSuffix("logout+jwt"), "a logout token validated as an ID token")
        precondition(claims["events"] == nil, "an ID token with events validated")
        precondition(claims["exp"]?.numericValue != nil && claims["iat"]?.numericValue != nil, "an ID token without exp or iat validated")
        precondition(result.subject == claims["sub"]?.stringValue && !result.subject.isEmpty, "sub differs or is empty")
        if audiences.count > 1 { precondition(claims["azp"]?.stringValue == Fixture.clientID, "several audiences without azp validated") }
        if let azp = claims["azp"] { precondition(azp.stringValue == Fixture.clientID, "a foreign azp validated") }
    }
    if idClaims != nil { precondition(claims["nonce"]?.stringValue == Fixture.nonce, "a login ID token with the wrong nonce validated") }
    if refreshed != nil { precondition(claims["sub"]?.stringValue == "alice", "a refreshed ID token for another subject validated") }
    if let logout {
        let typ = header["typ"]?.stringValue?.lowercased()
        precondition(header["typ"] == nil || typ == "logout+jwt" || typ == "application/logout+jwt", "a logout token of another typ validated")
        precondition(claims["nonce"] == nil, "a logout token with a nonce validated")
        precondition(!(logout.tokenID.isEmpty) && logout.tokenID == claims["jti"]?.stringValue, "jti missing or different")
        guard case .object(let events)? = claims["events"], case .object? = events[LogoutTokenValidator.backchannelLogoutEvent] else {
            preconditionFailure("a logout token without the logout event validated")
        }
        precondition(logout.subject != nil || logout.sessionID != nil, "a logout token without sub and sid validated")
        let iat = claims["iat"]?.numericValue
        precondition(iat != nil && now - iat! <= 300 + leeway, "a stale logout token validated")
    }
    return 0
}

/// The fixed key set (the EC key below plus an RSA-2048 public key), validators and clock.
private struct Fixture: Sendable {
    static let issuer = "https://idp.example.com"
    static let clientID = "gatehouse"
    static let trustedAudience = "https://api.example.com"
    static let nonce = "n-0S6_WzA2Mj"
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    let signingKey: P256.Signing.PrivateKey
    let jwks: [UInt8]
    let idTokens = IDTokenValidator(issuer: Fixture.issuer, clientID: Fixture.clientID, trustedAudiences: [Fixture.trustedAudience])
    let logoutTokens = LogoutTokenValidator(issuer: Fixture.issuer, clientID: Fixture.clientID, trustedAudiences: [Fixture.trustedAudience])

    /// `FUZZ_VERBOSE=1` prints each validation's outcome (to look at one input).
    let verbose = getenv("FUZZ_VERBOSE") != nil

    init() {
        signingKey = try! P256.Signing.PrivateKey(rawRepresentation: FuzzKeys.ecPrivateKey)
        jwks = Array(FuzzKeys.jwks(for: signingKey.publicKey).utf8)
    }

    func sign(header: [UInt8], claims: [UInt8]) -> String {
        let input = FuzzKeys.base64URL(header) + "." + FuzzKeys.base64URL(claims)
        let signature = try! signingKey.signature(for: SHA256.hash(data: Array(input.utf8)))
        return input + "." + FuzzKeys.base64URL(Array(signature.rawRepresentation))
    }

    func verifiesIndependently(_ parts: [Substring]) -> Bool {
        guard let signature = FuzzKeys.base64URLDecode(parts[2]),
            let ecdsa = try? P256.Signing.ECDSASignature(rawRepresentation: signature)
        else { return false }
        let input = Array("\(parts[0]).\(parts[1])".utf8)
        return signingKey.publicKey.isValidSignature(ecdsa, for: SHA256.hash(data: input))
    }

    static func json(_ part: Substring) -> [String: JSONValue]? {
        guard let bytes = FuzzKeys.base64URLDecode(part) else { return nil }
        return try? JSONDecoder().decode([String: JSONValue].self, from: Data(bytes))
    }
}

// libFuzzer harness for JWKS parsing (Sources/GatehouseOAuth/JWKSet.swift, JSONWebKey.swift,
// VerificationKey.swift, JSONBody.swift) and for key selection against the parsed set.
//
// The first input byte picks the provider's `id_token_signing_alg_values_supported`; the rest is
// the `jwks_uri` body. When it parses, the set must be non-empty, every key must carry at least
// one algorithm, an EC key exactly its curve's one; then fixed tokens are validated against it
// with a fixed `now`: one genuinely signed by the fixed EC key (`kid: ec-1`), the same without
// `kid`, and an RS256 one with a bad signature. The signed ones may validate only when the set
// holds that very key under a matching `kid` (or, without `kid`, as the only ES256 key); the
// RS256 one never.

import Crypto
import Foundation
import FuzzKeys
import GatehouseOAuth

private let fallbacks: [[String]] = [["RS256"], [], ["ES256", "PS256"], ["HS256", "none"], ["RS512", "PS384", "ES384"]]
private let now = Date(timeIntervalSince1970: 1_800_000_000)
private let validator = IDTokenValidator(issuer: "https://idp.example.com", clientID: "gatehouse")
private let signingKey = try! P256.Signing.PrivateKey(rawRepresentation: FuzzKeys.ecPrivateKey)
private let claims = #"{"iss":"https://idp.example.com","aud":"gatehouse","sub":"alice","exp":1800000300,"iat":1799999900,"nonce":"n"}"#
private let withKeyID = sign(#"{"alg":"ES256","kid":"ec-1"}"#)
private let withoutKeyID = sign(#"{"alg":"ES256"}"#)
private let badRSA = FuzzKeys.base64URL(Array(#"{"alg":"RS256","kid":"rsa-1"}"#.utf8)) + "." + FuzzKeys.base64URL(Array(claims.utf8)) + "."
    + FuzzKeys.base64URL([UInt8](repeating: 0x5A, count: 256))

/// Builds the fixed tokens before libFuzzer counts allocations (see JWSFuzzer's `warmUpJWS`).
func warmUpJWKS() { _ = (withKeyID, withoutKeyID, badRSA, validator) }

private func sign(_ header: String) -> String {
    let input = FuzzKeys.base64URL(Array(header.utf8)) + "." + FuzzKeys.base64URL(Array(claims.utf8))
    let signature = try! signingKey.signature(for: SHA256.hash(data: Array(input.utf8)))
    return input + "." + FuzzKeys.base64URL(Array(signature.rawRepresentation))
}

func fuzzJWKS(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard size > 0, let data else { return 0 }
    let fallback = fallbacks[Int(data[0]) % fallbacks.count]
    let body = UnsafeBufferPointer(start: data + 1, count: size - 1)
    guard let keys = try? JWKSet(jwks: body, fallbackAlgorithms: fallback) else { return 0 }

    precondition(!keys.keys.isEmpty, "a JWKSet without keys")
    for key in keys.keys {
        precondition(!key.algorithms.isEmpty, "a key usable with no algorithm")
        let ec = key.algorithms.filter { [.es256, .es384, .es512].contains($0) }
        precondition(ec.isEmpty || key.algorithms.count == 1, "an EC key with several algorithms: \(key.algorithms)")
    }
    let es256 = keys.keys.filter { $0.algorithms.contains(.es256) }

    if (try? validator.validate(IDToken(withKeyID), keys: keys, purpose: .login(nonce: "n"), now: now)) != nil {
        precondition(es256.contains { $0.keyID == "ec-1" }, "validated with kid ec-1, but no ES256 key has that kid")
    }
    if (try? validator.validate(IDToken(withoutKeyID), keys: keys, purpose: .login(nonce: "n"), now: now)) != nil {
        precondition(es256.count == 1, "validated without kid while \(es256.count) keys allow ES256")
    }
    precondition((try? validator.validate(IDToken(badRSA), keys: keys, purpose: .login(nonce: "n"), now: now)) == nil, "a bad RS256 signature validated")
    return 0
}

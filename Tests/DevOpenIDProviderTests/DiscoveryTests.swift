import DevOpenIDProvider
import Testing

@Suite("Discovery and JWKS")
struct DiscoveryTests {
    @Test("discovery names the issuer, every endpoint and the supported methods")
    func discoveryDocument() async throws {
        try await ProviderHarness.run { harness in
            let response = try await harness.get("/.well-known/openid-configuration")
            #expect(response.status == 200)
            let json = response.json
            #expect(harness.issuer.hasPrefix("http://127.0.0.1:"))
            #expect(!harness.issuer.hasSuffix(":0"))
            #expect(json["issuer"] as? String == harness.issuer)
            #expect(json["authorization_endpoint"] as? String == harness.issuer + "/authorize")
            #expect(json["token_endpoint"] as? String == harness.issuer + "/token")
            #expect(json["userinfo_endpoint"] as? String == harness.issuer + "/userinfo")
            #expect(json["jwks_uri"] as? String == harness.issuer + "/jwks")
            #expect(json["revocation_endpoint"] as? String == harness.issuer + "/revoke")
            #expect(json["end_session_endpoint"] as? String == harness.issuer + "/end-session")
            #expect(json["response_types_supported"] as? [String] == ["code"])
            #expect(json["code_challenge_methods_supported"] as? [String] == ["S256"])
            #expect(json["id_token_signing_alg_values_supported"] as? [String] == ["RS256"])
            #expect(
                Set(json["token_endpoint_auth_methods_supported"] as? [String] ?? [])
                    == ["client_secret_basic", "client_secret_post", "private_key_jwt"]
            )
            #expect(
                Set(json["grant_types_supported"] as? [String] ?? [])
                    == ["authorization_code", "refresh_token", "client_credentials", "urn:ietf:params:oauth:grant-type:token-exchange"]
            )
            #expect(json["acr_values_supported"] as? [String] == ["urn:gatehouse:dev:pwd", "urn:gatehouse:dev:mfa"])
            #expect(json["authorization_response_iss_parameter_supported"] as? Bool == true)
            #expect(json["backchannel_logout_supported"] as? Bool == true)
            #expect(json["backchannel_logout_session_supported"] as? Bool == true)
        }
    }

    @Test("JWKS publishes an RS256 signing key with kid, alg and use")
    func jwksShape() async throws {
        try await ProviderHarness.run { harness in
            let response = try await harness.get("/jwks")
            #expect(response.status == 200)
            let keys = response.json["keys"] as? [[String: Any]] ?? []
            #expect(keys.count == 1)
            let key = try #require(keys.first)
            #expect(key["kty"] as? String == "RSA")
            #expect(key["alg"] as? String == "RS256")
            #expect(key["use"] as? String == "sig")
            #expect((key["kid"] as? String)?.isEmpty == false)
            #expect((key["n"] as? String)?.count ?? 0 > 300)
            #expect(key["e"] as? String == "AQAB")
            #expect(key["d"] == nil)
        }
    }
}

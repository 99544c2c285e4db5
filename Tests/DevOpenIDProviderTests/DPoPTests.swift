import DevOpenIDProvider
import Foundation
import GatehouseOAuth
import GatehouseTestSupport
import Testing

/// RFC 9449 at the development provider: tokens bound to the key of the token request's proof,
/// refused without a proof of that key, `DPoP-Nonce`, and introspection telling the binding.
@Suite("DPoP-bound tokens at the development provider")
struct DPoPTests {
    private static func proof(_ key: DPoPKey, _ method: String, _ url: String, token: String? = nil, nonce: String? = nil, at date: Date = Date()) throws -> String {
        try key.proof(method: method, url: URL(string: url)!, accessToken: token.map(AccessToken.init), nonce: nonce, now: date, random: SystemRandomSource())
    }

    /// A login whose code is redeemed with a proof of `key`; the token response.
    private static func boundLogin(_ harness: ProviderHarness, key: DPoPKey) async throws -> TestResponse {
        let pkce = TestPKCE()
        let authorization = try await harness.authorize(pkce: pkce)
        return try await harness.postForm(
            "/token",
            [("grant_type", "authorization_code"), ("code", authorization.code), ("code_verifier", pkce.verifier), ("redirect_uri", ProviderHarness.redirectURI)],
            headers: [ProviderHarness.basicTestClient, ("DPoP", try proof(key, "POST", harness.issuer + "/token"))]
        )
    }

    private static func introspect(_ harness: ProviderHarness, _ token: String) async throws -> TestResponse {
        try await harness.postForm("/introspect", [("token", token)], headers: [ProviderHarness.basicTestClient])
    }

    @Test("a code redeemed with a proof gives DPoP tokens bound to that key; introspection says cnf.jkt; a bearer login stays Bearer")
    func binding() async throws {
        try await ProviderHarness.run { harness in
            let key = DPoPKey()
            let response = try await Self.boundLogin(harness, key: key)
            #expect(response.status == 200, "\(response.body)")
            #expect(response.string("token_type") == "DPoP")
            let token = try #require(response.string("access_token"))
            let introspection = try await Self.introspect(harness, token)
            #expect(introspection.string("token_type") == "DPoP")
            #expect((introspection.json["cnf"] as? [String: String])?["jkt"] == key.thumbprint)
            #expect(await harness.provider.accessTokenBinding(token)?.jkt == key.thumbprint)

            let plain = try await harness.logIn()
            #expect(plain.string("token_type") == "Bearer")
            let plainIntrospection = try await Self.introspect(harness, try #require(plain.string("access_token")))
            #expect(plainIntrospection.json["cnf"] == nil)
        }
    }

    @Test("userinfo takes a bound token only with a fresh proof of its key for this request: not as a bearer, not with another key, a replay, another URL or no ath")
    func presentation() async throws {
        try await ProviderHarness.run { harness in
            let key = DPoPKey()
            let token = try #require(try await Self.boundLogin(harness, key: key).string("access_token"))
            let userinfo = harness.issuer + "/userinfo"
            let good = try Self.proof(key, "GET", userinfo, token: token)
            let ok = try await harness.get("/userinfo", headers: [("Authorization", "DPoP " + token), ("DPoP", good)])
            #expect(ok.status == 200, "\(ok.body)")
            #expect(ok.string("sub") == DevOpenIDProvider.User.demo.subject)

            let refusals: [(String, [(String, String)])] = [
                ("the stolen token as a bearer", [("Authorization", "Bearer " + token)]),
                ("the DPoP scheme without a proof", [("Authorization", "DPoP " + token)]),
                ("a replayed proof", [("Authorization", "DPoP " + token), ("DPoP", good)]),
                ("a proof of another key", [("Authorization", "DPoP " + token), ("DPoP", try Self.proof(DPoPKey(), "GET", userinfo, token: token))]),
                ("a proof for another URL", [("Authorization", "DPoP " + token), ("DPoP", try Self.proof(key, "GET", harness.issuer + "/elsewhere", token: token))]),
                ("a proof for another method", [("Authorization", "DPoP " + token), ("DPoP", try Self.proof(key, "POST", userinfo, token: token))]),
                ("a proof without ath", [("Authorization", "DPoP " + token), ("DPoP", try Self.proof(key, "GET", userinfo))]),
                ("a proof from ten minutes ago", [("Authorization", "DPoP " + token), ("DPoP", try Self.proof(key, "GET", userinfo, token: token, at: Date().addingTimeInterval(-600)))]),
            ]
            for (what, headers) in refusals {
                let answer = try await harness.get("/userinfo", headers: headers)
                #expect(answer.status == 401 || answer.status == 400, "\(what): \(answer.status)")
                #expect(answer.string("error") == "invalid_token" || answer.string("error") == "invalid_dpop_proof", "\(what): \(answer.body)")
            }
        }
    }

    @Test("a bound grant refreshes only with a proof of its key, and the new tokens stay bound")
    func refresh() async throws {
        try await ProviderHarness.run { harness in
            let key = DPoPKey()
            let refreshToken = try #require(try await Self.boundLogin(harness, key: key).string("refresh_token"))
            let form = [("grant_type", "refresh_token"), ("refresh_token", refreshToken)]
            let bare = try await harness.postForm("/token", form, headers: [ProviderHarness.basicTestClient])
            #expect(bare.status == 400)
            #expect(bare.string("error") == "invalid_dpop_proof")
            let other = try await harness.postForm("/token", form, headers: [ProviderHarness.basicTestClient, ("DPoP", try Self.proof(DPoPKey(), "POST", harness.issuer + "/token"))])
            #expect(other.string("error") == "invalid_dpop_proof")
            let same = try await harness.postForm("/token", form, headers: [ProviderHarness.basicTestClient, ("DPoP", try Self.proof(key, "POST", harness.issuer + "/token"))])
            #expect(same.status == 200, "a refused refresh does not rotate the token: \(same.body)")
            #expect(same.string("token_type") == "DPoP")
            #expect(await harness.provider.accessTokenBinding(try #require(same.string("access_token")))?.jkt == key.thumbprint)
        }
    }

    @Test("with a nonce asked for, a proof without it is use_dpop_nonce with DPoP-Nonce; with it the request passes")
    func nonce() async throws {
        try await ProviderHarness.run { harness in
            await harness.provider.setDPoPNonce("nonce-7f3a")
            let key = DPoPKey()
            let challenged = try await Self.boundLogin(harness, key: key)
            #expect(challenged.status == 400)
            #expect(challenged.string("error") == "use_dpop_nonce")
            #expect(challenged.headers.first(name: "dpop-nonce") == "nonce-7f3a")

            let pkce = TestPKCE()
            let authorization = try await harness.authorize(pkce: pkce)
            let answered = try await harness.postForm(
                "/token",
                [("grant_type", "authorization_code"), ("code", authorization.code), ("code_verifier", pkce.verifier), ("redirect_uri", ProviderHarness.redirectURI)],
                headers: [ProviderHarness.basicTestClient, ("DPoP", try Self.proof(key, "POST", harness.issuer + "/token", nonce: "nonce-7f3a"))]
            )
            #expect(answered.status == 200, "\(answered.body)")
            #expect(answered.string("token_type") == "DPoP")
        }
    }

    @Test("a token request with a bad proof is invalid_dpop_proof and issues nothing")
    func badProofAtTokenEndpoint() async throws {
        try await ProviderHarness.run { harness in
            let key = DPoPKey()
            let pkce = TestPKCE()
            let authorization = try await harness.authorize(pkce: pkce)
            let form = [("grant_type", "authorization_code"), ("code", authorization.code), ("code_verifier", pkce.verifier), ("redirect_uri", ProviderHarness.redirectURI)]
            let forged = try Self.proof(key, "POST", harness.issuer + "/token").split(separator: ".").enumerated().map { $0.offset == 2 ? "AAAA" + $0.element.dropFirst(4) : $0.element }.joined(separator: ".")
            for proof in [try Self.proof(key, "GET", harness.issuer + "/token"), forged, "not-a-jws"] {
                let answer = try await harness.postForm("/token", form, headers: [ProviderHarness.basicTestClient, ("DPoP", proof)])
                #expect(answer.status == 400)
                #expect(answer.string("error") == "invalid_dpop_proof", "\(answer.body)")
            }
            let document = try await harness.get("/.well-known/openid-configuration")
            #expect((document.json["dpop_signing_alg_values_supported"] as? [String])?.contains("ES256") == true)
        }
    }
}

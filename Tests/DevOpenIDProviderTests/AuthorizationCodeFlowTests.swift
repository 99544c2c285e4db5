import DevOpenIDProvider
import Foundation
import Testing

@Suite("Authorization code + PKCE")
struct AuthorizationCodeFlowTests {
    @Test("code + PKCE flow returns an opaque access token and an ID token that verifies with the JWKS and carries the nonce")
    func fullFlow() async throws {
        try await ProviderHarness.run { harness in
            let pkce = TestPKCE()
            let authorization = try await harness.authorize(pkce: pkce, nonce: "n-0S6_WzA2Mj")
            #expect(authorization.state == "state-123")
            #expect(authorization.iss == harness.issuer)

            let response = try await harness.redeem(authorization.code, verifier: pkce.verifier)
            #expect(response.status == 200)
            #expect(response.headers.first(name: "cache-control") == "no-store")
            let accessToken = try #require(response.string("access_token"))
            #expect(accessToken.split(separator: ".").count == 1, "access tokens are opaque, not JWTs")
            #expect(response.string("token_type") == "Bearer")
            #expect(response.number("expires_in") == 300)
            #expect(response.string("refresh_token") != nil)

            let idToken = try #require(response.string("id_token"))
            let jwks = try await harness.get("/jwks").body
            let claims = try await TestJWT.verify(idToken, as: TestIDTokenClaims.self, jwks: jwks)
            #expect(claims.iss == harness.issuer)
            #expect(claims.aud == ProviderHarness.clientID)
            #expect(claims.azp == ProviderHarness.clientID)
            #expect(claims.nonce == "n-0S6_WzA2Mj")
            #expect(claims.sub == DevOpenIDProvider.User.demo.subject)
            #expect(claims.preferred_username == "demo")
            #expect(claims.email == "demo@example.com")
            #expect(claims.email_verified == true)
            #expect(!claims.sid.isEmpty)
            #expect(claims.exp > claims.iat)
            #expect(TestJWT.header(of: idToken)["alg"] == "RS256")
        }
    }

    @Test("login page shows the development-only banner and the demo credentials")
    func loginPage() async throws {
        try await ProviderHarness.run { harness in
            let page = try await harness.authorizationPage(pkce: TestPKCE())
            #expect(page.status == 200)
            #expect(page.headers.first(name: "content-type")?.hasPrefix("text/html") == true)
            #expect(page.body.contains("DEVELOPMENT ONLY"))
            #expect(page.body.contains("never use in production"))
            #expect(page.body.contains("<code>demo</code>"))
            #expect(ProviderHarness.requestID(in: page) != nil)
        }
    }

    @Test("a wrong password shows the login page again with an error")
    func wrongPassword() async throws {
        try await ProviderHarness.run { harness in
            let page = try await harness.authorizationPage(pkce: TestPKCE())
            let requestID = try #require(ProviderHarness.requestID(in: page))
            let retry = try await harness.postForm(
                "/authorize",
                [("request_id", requestID), ("username", "demo"), ("password", "nope"), ("action", "login")]
            )
            #expect(retry.status == 200)
            #expect(retry.body.contains("Wrong username or password"))
        }
    }

    @Test("the deny button redirects with access_denied, state and iss")
    func deny() async throws {
        try await ProviderHarness.run { harness in
            let page = try await harness.authorizationPage(pkce: TestPKCE())
            let requestID = try #require(ProviderHarness.requestID(in: page))
            let denied = try await harness.postForm("/authorize", [("request_id", requestID), ("action", "deny")])
            #expect(denied.status == 302)
            #expect(denied.locationQuery["error"] == "access_denied")
            #expect(denied.locationQuery["state"] == "state-123")
            #expect(denied.locationQuery["iss"] == harness.issuer)
        }
    }

    @Test("prompt=none is redirected back with login_required")
    func promptNone() async throws {
        try await ProviderHarness.run { harness in
            let response = try await harness.authorizationPage(pkce: TestPKCE(), extra: [("prompt", "none")])
            #expect(response.status == 302)
            #expect(response.locationQuery["error"] == "login_required")
        }
    }

    @Test("an authorization request without S256 PKCE is redirected back with invalid_request")
    func pkceRequired() async throws {
        try await ProviderHarness.run { harness in
            let query = ProviderHarness.formEncode([
                ("response_type", "code"), ("client_id", ProviderHarness.clientID),
                ("redirect_uri", ProviderHarness.redirectURI), ("state", "s"), ("scope", "openid"),
            ])
            let response = try await harness.get("/authorize?" + query)
            #expect(response.status == 302)
            #expect(response.locationQuery["error"] == "invalid_request")
            #expect(response.locationQuery["state"] == "s")
        }
    }

    @Test("an unregistered redirect_uri or unknown client is shown on the page and never redirected")
    func unregisteredRedirect() async throws {
        try await ProviderHarness.run { harness in
            let wrongRedirect = try await harness.authorizationPage(redirectURI: "https://evil.example/cb", pkce: TestPKCE())
            #expect(wrongRedirect.status == 400)
            #expect(wrongRedirect.headers.first(name: "location") == nil)
            #expect(wrongRedirect.body.contains("redirect_uri"))
            let unknownClient = try await harness.authorizationPage(clientID: "nobody", pkce: TestPKCE())
            #expect(unknownClient.status == 400)
            #expect(unknownClient.headers.first(name: "location") == nil)
        }
    }

    @Test("a wrong code_verifier is rejected with invalid_grant")
    func wrongVerifier() async throws {
        try await ProviderHarness.run { harness in
            let authorization = try await harness.authorize(pkce: TestPKCE())
            let response = try await harness.redeem(authorization.code, verifier: TestPKCE().verifier)
            #expect(response.status == 400)
            #expect(response.string("error") == "invalid_grant")
        }
    }

    @Test("a code is single use, and its reuse revokes the tokens it produced")
    func codeReuse() async throws {
        try await ProviderHarness.run { harness in
            let pkce = TestPKCE()
            let authorization = try await harness.authorize(pkce: pkce)
            let first = try await harness.redeem(authorization.code, verifier: pkce.verifier)
            #expect(first.status == 200)
            let second = try await harness.redeem(authorization.code, verifier: pkce.verifier)
            #expect(second.status == 400)
            #expect(second.string("error") == "invalid_grant")

            let refresh = try await harness.refresh(try #require(first.string("refresh_token")))
            #expect(refresh.string("error") == "invalid_grant")
            let userInfo = try await harness.get("/userinfo", headers: [("Authorization", "Bearer " + (first.string("access_token") ?? ""))])
            #expect(userInfo.status == 401)
        }
    }

    @Test("redeeming a code with another redirect_uri is rejected with invalid_grant")
    func redirectMismatch() async throws {
        try await ProviderHarness.run { harness in
            let pkce = TestPKCE()
            let authorization = try await harness.authorize(pkce: pkce)
            let response = try await harness.redeem(authorization.code, verifier: pkce.verifier, redirectURI: "http://127.0.0.1:1/other")
            #expect(response.status == 400)
            #expect(response.string("error") == "invalid_grant")
        }
    }
}

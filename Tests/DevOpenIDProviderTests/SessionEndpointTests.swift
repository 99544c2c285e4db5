import DevOpenIDProvider
import Testing

@Suite("Userinfo, revocation and end-session")
struct SessionEndpointTests {
    @Test("userinfo returns the demo user's claims for a bearer access token")
    func userInfo() async throws {
        try await ProviderHarness.run { harness in
            let login = try await harness.logIn()
            let bearer = ("Authorization", "Bearer " + (login.string("access_token") ?? ""))
            let response = try await harness.get("/userinfo", headers: [bearer])
            #expect(response.status == 200)
            #expect(response.string("sub") == DevOpenIDProvider.User.demo.subject)
            #expect(response.string("name") == "Demo User")
            #expect(response.string("email") == "demo@example.com")
            #expect(response.string("preferred_username") == "demo")
            let viaPost = try await harness.send("/userinfo", method: .POST, headers: [bearer], body: nil)
            #expect(viaPost.status == 200)
        }
    }

    @Test("userinfo without a valid token is 401 with a Bearer invalid_token challenge")
    func userInfoRejects() async throws {
        try await ProviderHarness.run { harness in
            let response = try await harness.get("/userinfo", headers: [("Authorization", "Bearer not-a-token")])
            #expect(response.status == 401)
            #expect(response.headers.first(name: "www-authenticate")?.contains("invalid_token") == true)
            let missing = try await harness.get("/userinfo")
            #expect(missing.status == 401)
        }
    }

    @Test("revoking a refresh token revokes its family; unknown tokens still get 200")
    func revocation() async throws {
        try await ProviderHarness.run { harness in
            let login = try await harness.logIn()
            let refreshToken = try #require(login.string("refresh_token"))
            let revoked = try await harness.postForm(
                "/revoke",
                [("token", refreshToken), ("token_type_hint", "refresh_token")],
                headers: [ProviderHarness.basicTestClient]
            )
            #expect(revoked.status == 200)
            #expect(try await harness.refresh(refreshToken).string("error") == "invalid_grant")
            let userInfo = try await harness.get("/userinfo", headers: [("Authorization", "Bearer " + (login.string("access_token") ?? ""))])
            #expect(userInfo.status == 401)

            let unknown = try await harness.postForm("/revoke", [("token", "never-issued")], headers: [ProviderHarness.basicTestClient])
            #expect(unknown.status == 200)
            let unauthenticated = try await harness.postForm("/revoke", [("token", "x"), ("client_id", ProviderHarness.clientID)])
            #expect(unauthenticated.status == 401)
        }
    }

    @Test("end-session redirects to the registered post-logout URI with state and ends the session's tokens")
    func endSession() async throws {
        try await ProviderHarness.run { harness in
            let login = try await harness.logIn()
            let query = ProviderHarness.formEncode([
                ("id_token_hint", login.string("id_token") ?? ""),
                ("post_logout_redirect_uri", ProviderHarness.postLogoutRedirectURI),
                ("state", "bye"),
            ])
            let response = try await harness.get("/end-session?" + query)
            #expect(response.status == 302)
            #expect(response.headers.first(name: "location")?.hasPrefix(ProviderHarness.postLogoutRedirectURI) == true)
            #expect(response.locationQuery["state"] == "bye")
            #expect(try await harness.refresh(login.string("refresh_token") ?? "").string("error") == "invalid_grant")
        }
    }

    @Test("end-session refuses an unregistered post-logout URI and a forged id_token_hint")
    func endSessionRefuses() async throws {
        try await ProviderHarness.run { harness in
            let login = try await harness.logIn()
            let unregistered = try await harness.get(
                "/end-session?"
                    + ProviderHarness.formEncode([
                        ("id_token_hint", login.string("id_token") ?? ""), ("post_logout_redirect_uri", "https://evil.example/"),
                    ])
            )
            #expect(unregistered.status == 400)
            #expect(unregistered.headers.first(name: "location") == nil)
            let forged = try await harness.get("/end-session?" + ProviderHarness.formEncode([("id_token_hint", "a.b.c")]))
            #expect(forged.status == 400)
            let plain = try await harness.get("/end-session")
            #expect(plain.status == 200)
            #expect(plain.body.contains("Signed out"))
        }
    }

    @Test("introspection says an issued access token is active and an unknown one is not")
    func introspection() async throws {
        try await ProviderHarness.run { harness in
            let login = try await harness.logIn()
            let active = try await harness.postForm(
                "/introspect", [("token", login.string("access_token") ?? "")], headers: [ProviderHarness.basicTestClient]
            )
            #expect(active.json["active"] as? Bool == true)
            #expect(active.string("sub") == DevOpenIDProvider.User.demo.subject)
            let inactive = try await harness.postForm("/introspect", [("token", "nope")], headers: [ProviderHarness.basicTestClient])
            #expect(inactive.json["active"] as? Bool == false)
        }
    }
}

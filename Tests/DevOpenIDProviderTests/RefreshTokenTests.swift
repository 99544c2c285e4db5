import DevOpenIDProvider
import Testing

@Suite("Refresh tokens")
struct RefreshTokenTests {
    @Test("refresh rotates the refresh token and the old one is then refused")
    func rotation() async throws {
        try await ProviderHarness.run { harness in
            let login = try await harness.logIn()
            let original = try #require(login.string("refresh_token"))
            let refreshed = try await harness.refresh(original)
            #expect(refreshed.status == 200)
            let rotated = try #require(refreshed.string("refresh_token"))
            #expect(rotated != original)
            #expect(refreshed.string("access_token") != login.string("access_token"))
            let again = try await harness.refresh(original)
            #expect(again.status == 400)
            #expect(again.string("error") == "invalid_grant")
        }
    }

    @Test("presenting a rotated refresh token revokes the whole family, so the newest one fails too")
    func reuseDetection() async throws {
        try await ProviderHarness.run { harness in
            let login = try await harness.logIn()
            let original = try #require(login.string("refresh_token"))
            let refreshed = try await harness.refresh(original)
            let newest = try #require(refreshed.string("refresh_token"))
            _ = try await harness.refresh(original)
            let afterReuse = try await harness.refresh(newest)
            #expect(afterReuse.status == 400)
            #expect(afterReuse.string("error") == "invalid_grant")
            let userInfo = try await harness.get("/userinfo", headers: [("Authorization", "Bearer " + (refreshed.string("access_token") ?? ""))])
            #expect(userInfo.status == 401)
        }
    }

    @Test("a refreshed ID token has no nonce and the same sub and sid")
    func refreshedIDToken() async throws {
        try await ProviderHarness.run { harness in
            let login = try await harness.logIn(nonce: "original-nonce")
            let refreshed = try await harness.refresh(try #require(login.string("refresh_token")))
            let jwks = try await harness.get("/jwks").body
            let first = try await TestJWT.verify(try #require(login.string("id_token")), as: TestIDTokenClaims.self, jwks: jwks)
            let second = try await TestJWT.verify(try #require(refreshed.string("id_token")), as: TestIDTokenClaims.self, jwks: jwks)
            #expect(first.nonce == "original-nonce")
            #expect(second.nonce == nil)
            #expect(second.sub == first.sub)
            #expect(second.sid == first.sid)
            #expect(second.auth_time == first.auth_time)
        }
    }

    @Test("a refresh token of another client is invalid_grant")
    func otherClient() async throws {
        let other = DevOpenIDProvider.Client(id: "other", secret: "other-secret", redirectURIs: ["http://127.0.0.1:1/o"])
        try await ProviderHarness.run(clients: [ProviderHarness.testClient, other]) { harness in
            let login = try await harness.logIn()
            let response = try await harness.postForm(
                "/token",
                [("grant_type", "refresh_token"), ("refresh_token", login.string("refresh_token") ?? "")],
                headers: [ProviderHarness.basicAuthorization(id: "other", secret: "other-secret")]
            )
            #expect(response.string("error") == "invalid_grant")
        }
    }
}

import DevOpenIDProvider
import Foundation
import Testing

@Suite("Back-channel logout sender")
struct BackchannelLogoutTests {
    @Test("back-channel logout POSTs a signed logout token for the session to the client's receiver and ends the session")
    func sendsLogoutToken() async throws {
        let receiver = BackchannelReceiver()
        try await receiver.withRunning { receiverURL in
            var client = ProviderHarness.testClient
            client.backchannelLogoutURI = receiverURL
            try await ProviderHarness.run(clients: [client]) { harness in
                let login = try await harness.logIn()
                let jwks = try await harness.get("/jwks").body
                let idToken = try await TestJWT.verify(login.string("id_token") ?? "", as: TestIDTokenClaims.self, jwks: jwks)

                let deliveries = await harness.provider.sendBackchannelLogout(sid: idToken.sid)
                #expect(deliveries == [.init(clientID: ProviderHarness.clientID, status: 200)])

                let bodies = await receiver.bodies
                #expect(bodies.count == 1)
                #expect(await receiver.contentTypes.first == "application/x-www-form-urlencoded")
                let token = try #require(bodies.first.flatMap { URLComponents(string: "?" + $0)?.queryItems?.first { $0.name == "logout_token" }?.value })
                #expect(TestJWT.header(of: token)["typ"] == "logout+jwt")
                let claims = try await TestJWT.verify(token, as: TestLogoutTokenClaims.self, jwks: jwks)
                #expect(claims.iss == harness.issuer)
                #expect(claims.aud == ProviderHarness.clientID)
                #expect(claims.sid == idToken.sid)
                #expect(claims.sub == idToken.sub)
                #expect(claims.nonce == nil)
                #expect(!claims.jti.isEmpty)
                #expect(claims.events["http://schemas.openid.net/event/backchannel-logout"] == [:])

                #expect(try await harness.refresh(login.string("refresh_token") ?? "").string("error") == "invalid_grant")
            }
        }
    }

    @Test("the logout-token knob mints a verifiable token carrying only sub")
    func mintsLogoutToken() async throws {
        try await ProviderHarness.run { harness in
            let response = try await harness.postJSON("/_dev/logout-token", #"{"client_id":"test-client","sub":"someone"}"#)
            let token = try #require(response.string("logout_token"))
            let claims = try await TestJWT.verify(token, as: TestLogoutTokenClaims.self, jwks: try await harness.get("/jwks").body)
            #expect(claims.sub == "someone")
            #expect(claims.sid == nil)
            #expect(claims.aud == "test-client")
        }
    }
}

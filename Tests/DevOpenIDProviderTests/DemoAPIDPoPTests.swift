import AsyncHTTPClient
import DevOpenIDProvider
import Foundation
import GatehouseOAuth
import GatehouseTestSupport
import Logging
import Testing

/// The demo API checks sender-constrained tokens as a resource server must (RFC 9449 §7): the
/// token with a fresh proof of its key for this request, and nothing less.
@Suite("The demo API and DPoP-bound tokens")
struct DemoAPIDPoPTests {
    @Test("a bound token passes with a proof of its key; stolen (as a bearer, with another key, or a replayed proof) it is 401")
    func senderConstrained() async throws {
        try await ProviderHarness.run { harness in
            let key = DPoPKey()
            let pkce = TestPKCE()
            let authorization = try await harness.authorize(pkce: pkce)
            let tokenProof = try key.proof(method: "POST", url: URL(string: harness.issuer + "/token")!, now: Date(), random: SystemRandomSource())
            let tokens = try await harness.postForm(
                "/token",
                [("grant_type", "authorization_code"), ("code", authorization.code), ("code_verifier", pkce.verifier), ("redirect_uri", ProviderHarness.redirectURI)],
                headers: [ProviderHarness.basicTestClient, ("DPoP", tokenProof)]
            )
            let token = try #require(tokens.string("access_token"))
            let plain = try #require(try await harness.logIn().string("access_token"))

            let port = try freeLoopbackPort()
            let (ready, continuation) = AsyncStream<String>.makeStream()
            var logger = Logger(label: "demo-api")
            logger.logLevel = .warning
            let api = DemoAPI.makeApplication(
                port: port, issuer: harness.issuer, clientID: ProviderHarness.clientID, clientSecret: ProviderHarness.clientSecret,
                httpClient: harness.http, logger: logger, onServerRunning: { continuation.yield("http://127.0.0.1:\(port)") }
            )
            try await ServerRunner.withRunning(api, ready: ready, readyContinuation: continuation) { origin in
                let url = origin + "/api/me"
                func proof(_ signer: DPoPKey, _ method: String = "GET", for target: String = url) throws -> String {
                    try signer.proof(method: method, url: URL(string: target)!, accessToken: AccessToken(token), now: Date(), random: SystemRandomSource())
                }
                let good = try proof(key)
                let ok = try await harness.get(url, headers: [("Authorization", "DPoP " + token), ("DPoP", good)])
                #expect(ok.status == 200, "\(ok.body)")
                #expect(ok.string("token_binding")?.hasPrefix("DPoP (jkt ") == true)

                let refusals: [(String, [(String, String)])] = [
                    ("the stolen token as a bearer", [("Authorization", "Bearer " + token)]),
                    ("with a proof of another key", [("Authorization", "DPoP " + token), ("DPoP", try proof(DPoPKey()))]),
                    ("with the captured proof again", [("Authorization", "DPoP " + token), ("DPoP", good)]),
                    ("with a proof for another path", [("Authorization", "DPoP " + token), ("DPoP", try proof(key, for: origin + "/api/admin/me"))]),
                    ("a bearer token claiming DPoP", [("Authorization", "DPoP " + plain), ("DPoP", try proof(key))]),
                ]
                for (what, headers) in refusals {
                    let answer = try await harness.get(url, headers: headers)
                    #expect(answer.status == 401, "\(what): \(answer.status) \(answer.body)")
                }
                let bearer = try await harness.get(url, headers: [("Authorization", "Bearer " + plain)])
                #expect(bearer.status == 200, "a bearer token still works as a bearer")
                #expect(bearer.string("token_binding") == nil)
            }
        }
    }
}

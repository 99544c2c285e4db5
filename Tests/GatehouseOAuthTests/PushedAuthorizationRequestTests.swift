import Foundation
import GatehouseOAuth
import GatehouseTestSupport
import Testing

/// RFC 9126 on the client side, without I/O: what is pushed, what the browser gets, how the
/// answer is read, and when `oidc.par` pushes.
@Suite("Pushed authorization requests: building, answers, policy")
struct PushedAuthorizationRequestTests {
    let authorize = URL(string: "https://idp.example.com/authorize")!
    let par = URL(string: "https://idp.example.com/par")!
    let now = Date(timeIntervalSince1970: 1_700_000_000)

    func authorization(extra: [String: String] = ["prompt": "login"]) -> AuthorizationRequest {
        AuthorizationRequest(
            endpoint: authorize, clientID: "spa:bff", redirectURI: "https://app.example.com/bff/callback",
            scopes: ["openid", "profile"], extraParameters: extra, random: SeededRandomSource()
        )
    }

    func builder(_ authentication: ClientAuthentication) -> TokenRequestBuilder {
        TokenRequestBuilder(clientID: "spa:bff", authentication: authentication, tokenEndpoint: URL(string: "https://idp.example.com/token")!, random: SeededRandomSource())
    }

    /// Every parameter name of a form body, repeats included.
    func names(_ request: FormPostRequest) -> [String] {
        String(decoding: request.body, as: UTF8.self).split(separator: "&").map { String($0.split(separator: "=")[0]) }
    }

    @Test("the push carries every authorization parameter, client_id exactly once, for each client authentication")
    func pushCarriesTheRequest() throws {
        let request = authorization()
        for authentication in [ClientAuthentication.clientSecretBasic(ClientSecret("s")), .clientSecretPost(ClientSecret("s"))] {
            let push = try builder(authentication).pushedAuthorization(request, to: par, now: now)
            #expect(push.url == par)
            let form = push.formParameters
            for (name, value) in request.parameters { #expect(form[name] == value, "\(name)") }
            #expect(form["prompt"] == "login")
            #expect(form["code_challenge_method"] == "S256")
            #expect(names(push).filter { $0 == "client_id" }.count == 1, "client_id once: \(names(push))")
            #expect(Set(names(push)).count == names(push).count, "no parameter twice")
        }
        let basic = try builder(.clientSecretBasic(ClientSecret("s"))).pushedAuthorization(request, to: par, now: now)
        #expect(basic.header("Authorization")?.hasPrefix("Basic ") == true)
        #expect(basic.formParameters["client_secret"] == nil)
        let post = try builder(.clientSecretPost(ClientSecret("s"))).pushedAuthorization(request, to: par, now: now)
        #expect(post.formParameters["client_secret"] == "s")
    }

    @Test("the browser's URL after a push holds only client_id and request_uri")
    func pushedURL() throws {
        let url = authorization().pushedURL(requestURI: "urn:ietf:params:oauth:request_uri:abc")
        let components = try #require(URLComponents(url: url, resolvingAgainstBaseURL: false))
        #expect(components.host == "idp.example.com")
        #expect(components.path == "/authorize")
        #expect(components.queryItems?.map(\.name) == ["client_id", "request_uri"])
        #expect(components.queryItems?.last?.value == "urn:ietf:params:oauth:request_uri:abc")
        #expect(!url.absoluteString.contains("code_challenge") && !url.absoluteString.contains("state="))
    }

    @Test("a 201 answer gives request_uri and its expiry; errors and malformed answers are typed")
    func answers() throws {
        let ok = try PushedAuthorizationResponse(status: 201, body: Array(#"{"request_uri":"urn:ietf:params:oauth:request_uri:x","expires_in":60}"#.utf8), now: now)
        #expect(ok.requestURI == "urn:ietf:params:oauth:request_uri:x")
        #expect(ok.expiresAt == now.addingTimeInterval(60))

        #expect(throws: TokenEndpointError.oauthErrorResponse) {
            try PushedAuthorizationResponse(status: 401, body: Array(#"{"error":"invalid_client"}"#.utf8), now: now)
        }
        do {
            _ = try PushedAuthorizationResponse(status: 400, body: Array(#"{"error":"invalid_request","error_description":"bad"}"#.utf8), now: now)
            Issue.record("an error answer was accepted")
        } catch {
            #expect(error.oauthError == .invalidRequest)
        }
        for body in [#"{"expires_in":60}"#, #"{"request_uri":"","expires_in":60}"#, #"{"request_uri":"urn:x","expires_in":0}"#, #"{"request_uri":"urn:x"}"#] {
            #expect(throws: TokenEndpointError.invalidField, "\(body)") { try PushedAuthorizationResponse(status: 201, body: Array(body.utf8), now: self.now) }
        }
        #expect(throws: TokenEndpointError.unexpectedStatus) {
            try PushedAuthorizationResponse(status: 503, body: Array("Service Unavailable".utf8), now: now)
        }
    }

    @Test("discovery's PAR fields decode; a bad endpoint is refused")
    func discovery() throws {
        let issuer = "https://idp.example.com"
        func document(_ extra: String) -> [UInt8] {
            Array(#"{"issuer":"\#(issuer)","authorization_endpoint":"\#(issuer)/authorize","token_endpoint":"\#(issuer)/token","jwks_uri":"\#(issuer)/jwks"\#(extra)}"#.utf8)
        }
        let plain = try ProviderMetadata(discoveryDocument: document(""), expectedIssuer: issuer)
        #expect(plain.pushedAuthorizationRequestEndpoint == nil)
        #expect(plain.requirePushedAuthorizationRequests == false)
        let offered = try ProviderMetadata(
            discoveryDocument: document(#","pushed_authorization_request_endpoint":"\#(issuer)/par","require_pushed_authorization_requests":true"#), expectedIssuer: issuer
        )
        #expect(offered.pushedAuthorizationRequestEndpoint?.absoluteString == issuer + "/par")
        #expect(offered.requirePushedAuthorizationRequests)
        #expect(throws: DiscoveryError.invalidEndpoint) {
            try ProviderMetadata(discoveryDocument: document(#","pushed_authorization_request_endpoint":"javascript:alert(1)""#), expectedIssuer: issuer)
        }
    }

    @Test("oidc.par: auto pushes when discovery names the endpoint, required always, off never; mismatches are named")
    func policy() {
        var metadata = ProviderMetadata(issuer: "https://idp", authorizationEndpoint: authorize, tokenEndpoint: par, jwksURI: par)
        #expect(PushedAuthorizationMode.auto.endpoint(for: metadata) == nil)
        #expect(PushedAuthorizationMode.auto.mismatch(with: metadata) == nil)
        #expect(PushedAuthorizationMode.off.mismatch(with: metadata) == nil)
        #expect(PushedAuthorizationMode.required.mismatch(with: metadata)?.contains("pushed_authorization_request_endpoint") == true)

        metadata.pushedAuthorizationRequestEndpoint = par
        #expect(PushedAuthorizationMode.auto.endpoint(for: metadata) == par)
        #expect(PushedAuthorizationMode.required.endpoint(for: metadata) == par)
        #expect(PushedAuthorizationMode.off.endpoint(for: metadata) == nil)
        for mode in PushedAuthorizationMode.allCases { #expect(mode.mismatch(with: metadata) == nil, "\(mode)") }

        metadata.requirePushedAuthorizationRequests = true
        #expect(PushedAuthorizationMode.auto.endpoint(for: metadata) == par)
        #expect(PushedAuthorizationMode.off.mismatch(with: metadata)?.contains("require_pushed_authorization_requests") == true)
        metadata.pushedAuthorizationRequestEndpoint = nil
        #expect(PushedAuthorizationMode.auto.mismatch(with: metadata) != nil, "required by the provider, yet no endpoint")
    }
}

import Foundation
import GatehouseOAuth
import GatehouseTestSupport
import Testing

@Suite("Authorization request")
struct AuthorizationRequestTests {
    func queryPairs(_ url: URL) -> [(String, String)] {
        FormURLEncoding.decode(URLComponents(url: url, resolvingAgainstBaseURL: false)!.percentEncodedQuery!)!
    }

    func queryItems(_ url: URL) -> [String: String] {
        Dictionary(queryPairs(url), uniquingKeysWith: { a, _ in a })
    }

    @Test("the URL carries every core parameter with S256 PKCE")
    func coreParameters() {
        let request = AuthorizationRequest(
            endpoint: URL(string: "https://idp.example.com/auth")!,
            clientID: "spa-bff",
            redirectURI: "https://app.example.com/bff/callback",
            scopes: ["openid", "profile", "offline_access"],
            extraParameters: ["prompt": "login", "audience": "https://api.example.com"],
            random: SystemRandomSource()
        )
        let items = queryItems(request.url)
        #expect(items["response_type"] == "code")
        #expect(items["client_id"] == "spa-bff")
        #expect(items["redirect_uri"] == "https://app.example.com/bff/callback")
        #expect(items["scope"] == "openid profile offline_access")
        #expect(items["state"] == request.state)
        #expect(items["nonce"] == request.nonce)
        #expect(items["code_challenge"] == request.codeVerifier.s256Challenge)
        #expect(items["code_challenge_method"] == "S256")
        #expect(items["prompt"] == "login")
        #expect(items["audience"] == "https://api.example.com")
        #expect(request.url.absoluteString.contains("scope=openid+profile+offline_access"))
        #expect(!request.url.absoluteString.contains(request.codeVerifier.value))
    }

    @Test("state and nonce carry 256 random bits each and differ per request")
    func randomness() {
        let random = SystemRandomSource()
        let endpoint = URL(string: "https://idp.example.com/auth")!
        let first = AuthorizationRequest(endpoint: endpoint, clientID: "c", redirectURI: "r", scopes: ["openid"], random: random)
        let second = AuthorizationRequest(endpoint: endpoint, clientID: "c", redirectURI: "r", scopes: ["openid"], random: random)
        #expect(first.state.count == 43)
        #expect(first.nonce.count == 43)
        #expect(first.state != second.state)
        #expect(first.nonce != first.state)
    }

    @Test("extra parameters cannot override core parameters")
    func extrasCannotOverride() {
        let request = AuthorizationRequest(
            endpoint: URL(string: "https://idp.example.com/auth?tenant=a")!,
            clientID: "spa-bff",
            redirectURI: "https://app.example.com/bff/callback",
            scopes: ["openid"],
            extraParameters: ["redirect_uri": "https://evil.example", "code_challenge_method": "plain", "state": "x"],
            random: SystemRandomSource()
        )
        #expect(queryPairs(request.url).filter { $0.0 == "redirect_uri" }.count == 1)
        let items = queryItems(request.url)
        #expect(items["redirect_uri"] == "https://app.example.com/bff/callback")
        #expect(items["code_challenge_method"] == "S256")
        #expect(items["state"] == request.state)
        #expect(items["tenant"] == "a")
    }

    @Test("the end-session URL carries the id token hint, the post-logout redirect and the client id")
    func endSession() {
        let url = EndSessionRequest.url(
            endpoint: URL(string: "https://idp.example.com/logout")!,
            idTokenHint: IDToken("eyJ.x.y"),
            postLogoutRedirectURI: "https://app.example.com/",
            clientID: "spa-bff"
        )
        let items = queryItems(url)
        #expect(items["id_token_hint"] == "eyJ.x.y")
        #expect(items["post_logout_redirect_uri"] == "https://app.example.com/")
        #expect(items["client_id"] == "spa-bff")
    }
}

import Foundation
import GatehouseOAuth
import Testing

@Suite("Token response")
struct TokenResponseTests {
    let now = Date(timeIntervalSince1970: 1_700_000_000)

    @Test("a success answer gives an absolute expiry from expires_in and keeps an opaque access token as is")
    func success() throws {
        let body = #"{"access_token":"opaque-xyz","token_type":"Bearer","expires_in":300,"refresh_token":"rt-1","id_token":"a.b.c","scope":"openid profile"}"#
        let response = try TokenResponse(status: 200, body: Array(body.utf8), now: now)
        #expect(response.accessToken.value == "opaque-xyz")
        #expect(response.accessTokenExpiresAt == now.addingTimeInterval(300))
        #expect(response.refreshToken?.value == "rt-1")
        #expect(response.idToken?.value == "a.b.c")
        #expect(response.scopes == ["openid", "profile"])
    }

    @Test("a refresh answer without refresh or ID token parses, and expires_in may be a string")
    func minimal() throws {
        let response = try TokenResponse(status: 200, body: Array(#"{"access_token":"at","token_type":"bearer","expires_in":"60"}"#.utf8), now: now)
        #expect(response.refreshToken == nil)
        #expect(response.idToken == nil)
        #expect(response.accessTokenExpiresAt == now.addingTimeInterval(60))
    }

    @Test("an RFC 6749 §5.2 error body decodes into its error code", arguments: [
        ("invalid_request", OAuthErrorCode.invalidRequest), ("invalid_client", .invalidClient),
        ("invalid_grant", .invalidGrant), ("unauthorized_client", .unauthorizedClient),
        ("unsupported_grant_type", .unsupportedGrantType), ("invalid_scope", .invalidScope),
        ("something_new", .other("something_new")),
    ])
    func oauthErrors(wire: String, code: OAuthErrorCode) {
        let body = #"{"error":"\#(wire)","error_description":"Token is not active"}"#
        do {
            _ = try TokenResponse(status: 400, body: Array(body.utf8), now: now)
            Issue.record("expected a failure")
        } catch {
            #expect(error == .oauthErrorResponse)
            #expect(error.oauthError == code)
            #expect(error.status == 400)
        }
    }

    @Test("the error code comes from the error field, never from the description text")
    func codeNotDescription() {
        let body = #"{"error":"invalid_request","error_description":"invalid_grant: refresh token expired"}"#
        #expect(throws: TokenEndpointError.self) { try TokenResponse(status: 400, body: Array(body.utf8), now: now) }
        do {
            _ = try TokenResponse(status: 400, body: Array(body.utf8), now: now)
        } catch {
            #expect(error.oauthError == .invalidRequest)
        }
    }

    @Test("an HTML answer is reported as HTML, not JSON")
    func html() {
        do {
            _ = try TokenResponse(status: 200, body: Array("\n<html><body>Sign in</body></html>".utf8), now: now)
            Issue.record("expected a failure")
        } catch {
            #expect(error == .html)
            #expect(error.description.contains("HTML, not JSON"))
        }
    }

    @Test("a 502 with a plain-text body is an unexpected status, not an OAuth error")
    func gatewayError() {
        #expect(throws: TokenEndpointError.unexpectedStatus) {
            try TokenResponse(status: 502, body: Array("Bad Gateway".utf8), now: now)
        }
    }

    @Test("a success answer without an access token or with a non-bearer type is rejected")
    func invalidSuccess() {
        #expect(throws: TokenEndpointError.invalidField) {
            try TokenResponse(status: 200, body: Array(#"{"token_type":"Bearer"}"#.utf8), now: now)
        }
        #expect(throws: TokenEndpointError.unsupportedTokenType) {
            try TokenResponse(status: 200, body: Array(#"{"access_token":"a","token_type":"DPoP"}"#.utf8), now: now)
        }
    }

    @Test("a request with a DPoP proof takes only a DPoP answer: a Bearer one means the provider did not bind the token")
    func dpopTokenType() throws {
        let bound = try TokenResponse(status: 200, body: Array(#"{"access_token":"a","token_type":"DPoP"}"#.utf8), now: now, tokenType: "DPoP")
        #expect(bound.tokenType == "DPoP")
        #expect(throws: TokenEndpointError.unsupportedTokenType) {
            try TokenResponse(status: 200, body: Array(#"{"access_token":"a","token_type":"Bearer"}"#.utf8), now: now, tokenType: "DPoP")
        }
        #expect(throws: TokenEndpointError.unsupportedTokenType, "token_type is required to say DPoP") {
            try TokenResponse(status: 200, body: Array(#"{"access_token":"a"}"#.utf8), now: now, tokenType: "DPoP")
        }
    }

    @Test("error descriptions never contain the tokens of the body")
    func noSecretsInErrors() {
        do {
            _ = try TokenResponse(status: 200, body: Array(#"{"access_token":"SECRET-AT","token_type":"MAC"}"#.utf8), now: now)
        } catch {
            #expect(!error.description.contains("SECRET-AT"))
        }
    }

    @Test("revocation succeeds on 200 and reports an OAuth error otherwise")
    func revocation() throws {
        try RevocationResponse.check(status: 200, body: [])
        do {
            try RevocationResponse.check(status: 400, body: Array(#"{"error":"unsupported_token_type"}"#.utf8))
            Issue.record("expected a failure")
        } catch {
            #expect(error.oauthError == .other("unsupported_token_type"))
        }
    }
}

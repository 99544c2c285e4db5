import Foundation
import GatehouseServer
import HTTPTypes
import HummingbirdTesting
import Testing

/// The unit tier of the server: the BFF endpoints, CSRF, route matching, token modes and the
/// refresh policy, through the production composition root with the memory store and the
/// in-memory provider, in milliseconds.
@Suite("Server unit tier: BFF endpoints, CSRF, routes, token modes, refresh")
struct BFFUnitTests {
    private func json(_ response: TestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8)) as? [String: Any])
    }

    @Test("login redirects with state, nonce and S256 PKCE, and sets the short-lived login cookie")
    func loginRedirect() async throws {
        try await UnitApplication.run { app in
            let login = try await app.send(.get, "/bff/login?returnUrl=/x")
            #expect(login.status == .found)
            let location = try #require(login.headers[.location])
            let query = try #require(URLComponents(string: location)?.queryItems)
            let names = Set(query.map(\.name))
            #expect(names.isSuperset(of: ["response_type", "client_id", "redirect_uri", "scope", "state", "nonce", "code_challenge", "code_challenge_method"]))
            #expect(query.first { $0.name == "code_challenge_method" }?.value == "S256")
            #expect((query.first { $0.name == "state" }?.value?.count ?? 0) >= 43)
            let cookie = try #require(login.headers[values: .setCookie].first { $0.contains("gatehouse-login=") })
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Secure"))
        }
    }

    @Test("a whole login makes a session; /bff/user needs the CSRF header and never returns a token")
    func loginAndUser() async throws {
        try await UnitApplication.run { app in
            let session = try await app.login()
            let cookies = [app.sessionCookieName: session]
            #expect(try await app.send(.get, "/bff/user", cookies: cookies).status == .forbidden)
            let user = try await app.send(.get, "/bff/user", csrf: true, cookies: cookies)
            #expect(user.status == .ok)
            let claims = try json(user)
            #expect(claims["sub"] as? String == MemoryProvider.subject)
            #expect(claims["nonce"] == nil)
            #expect(!String(buffer: user.body).contains("at-") && !String(buffer: user.body).contains("rt-"))
        }
    }

    @Test("a replayed callback is 400 and makes no second session")
    func replayedCallback() async throws {
        try await UnitApplication.run { app in
            let login = try await app.send(.get, "/bff/login")
            let location = try #require(login.headers[.location])
            let query = try #require(URLComponents(string: location)?.queryItems)
            let state = try #require(query.first { $0.name == "state" }?.value)
            let nonce = try #require(query.first { $0.name == "nonce" }?.value)
            let binding = try #require(UnitApplication.cookie("gatehouse-login", in: login))
            app.provider.issueCode("c1", nonce: nonce)
            let target = "/bff/callback?code=c1&state=\(state)&iss=https%3A%2F%2Fidp.test"
            #expect(try await app.send(.get, target, cookies: [app.server.configuration.loginCookieName: binding]).status == .found)
            app.provider.issueCode("c1", nonce: nonce)
            #expect(try await app.send(.get, target, cookies: [app.server.configuration.loginCookieName: binding]).status == .badRequest)
            #expect(app.provider.grants("authorization_code") == 1, "the replay never reached the provider")
        }
    }

    @Test("logout needs the CSRF header, ends the session, revokes the refresh token and returns the end-session URL")
    func logout() async throws {
        try await UnitApplication.run { app in
            let session = try await app.login()
            let cookies = [app.sessionCookieName: session]
            #expect(try await app.send(.post, "/bff/logout", cookies: cookies).status == .forbidden)
            #expect(try await app.send(.get, "/bff/user", csrf: true, cookies: cookies).status == .ok, "a refused logout changed nothing")
            let logout = try await app.send(.post, "/bff/logout", csrf: true, cookies: cookies)
            #expect(logout.status == .ok)
            let logoutURL = try json(logout)["logout_url"] as? String
            #expect(logoutURL?.hasPrefix(MemoryProvider.issuer + "/logout?") == true)
            #expect(app.provider.revoked.contains { $0.hasPrefix("rt-") })
            #expect(try await app.send(.get, "/bff/user", csrf: true, cookies: cookies).status == .unauthorized)
        }
    }

    @Test("routes: the CSRF header first, then the method allowlist, then the token mode; other paths are not proxied")
    func routesAndTokenModes() async throws {
        try await UnitApplication.run { app in
            let withoutHeader = try await app.send(.get, "/api/x")
            #expect(withoutHeader.status == .forbidden, "no CSRF header")
            #expect(try await app.send(.get, "/api/x", csrf: true).status == .unauthorized, "token: user without a session")
            #expect(try await app.send(.post, "/get-only/x", csrf: true).status == .methodNotAllowed)
            #expect(try await app.send(.get, "/nowhere/x", csrf: true).status == .notFound)
            // token: optional and none go on without a session; the upstream here is closed, so 502.
            #expect(try await app.send(.get, "/open/x", csrf: true).status == .badGateway)
            #expect(try await app.send(.get, "/get-only/x", csrf: true).status == .badGateway)
        }
    }

    @Test("an access token due within refresh_before_expiry is refreshed once, rotated, and not again while fresh")
    func refreshPolicy() async throws {
        try await UnitApplication.run { app in
            app.provider.setAccessLifetime(30)
            let session = try await app.login()
            let cookies = [app.sessionCookieName: session]
            app.provider.setAccessLifetime(3600)
            _ = try await app.send(.get, "/api/x", csrf: true, cookies: cookies)
            #expect(app.provider.grants("refresh_token") == 1)
            _ = try await app.send(.get, "/api/x", csrf: true, cookies: cookies)
            #expect(app.provider.grants("refresh_token") == 1, "the refreshed token is fresh")
        }
    }

    @Test("invalid_grant on refresh ends the session: 401 on the route and on /bff/user")
    func invalidGrant() async throws {
        try await UnitApplication.run { app in
            app.provider.setAccessLifetime(30)
            let session = try await app.login()
            let cookies = [app.sessionCookieName: session]
            app.provider.failNext("invalid_grant")
            #expect(try await app.send(.get, "/api/x", csrf: true, cookies: cookies).status == .unauthorized)
            #expect(try await app.send(.get, "/bff/user", csrf: true, cookies: cookies).status == .unauthorized)
        }
    }
}

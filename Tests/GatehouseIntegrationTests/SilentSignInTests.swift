import DevOpenIDProvider
import Foundation
@testable import GatehouseServer
import GatehouseTestSupport
import Testing

/// PRODUCT.md `GET /bff/login`: an optional `prompt` is passed on; with `prompt=none` a provider
/// answer of `login_required` (and friends) ends at `returnUrl` with `?error=login_required`,
/// no session and no error page.
@Suite("Silent sign-in: prompt on /bff/login")
struct SilentSignInTests {
    @Test("prompt=none without a provider session: back at returnUrl with error=login_required, no session, no error page")
    func silentWithoutProviderSession() async throws {
        try await GatehouseHarness.run { h in
            let login = try await h.browser.get(h.gatehouse + "/bff/login?prompt=none&returnUrl=%2Finbox%3Ftab%3D2%23top")
            #expect(login.status == 302)
            let authorize = try #require(login.location)
            #expect(URLComponents(string: authorize)?.queryItems?.first { $0.name == "prompt" }?.value == "none")
            // This browser has no login session at the provider, so it answers login_required.
            let answer = try await h.browser.get(authorize)
            let callback = try #require(answer.location, "the provider redirects back with an error")
            #expect(callback.contains("error=login_required"))
            let back = try await h.browser.get(callback)
            #expect(back.status == 302)
            #expect(back.location == "/inbox?tab=2&error=login_required#top", "at returnUrl, the error in its query, before the fragment")
            #expect(!back.setCookies.contains { $0.hasPrefix(h.configuration.session.cookieName + "=") && !$0.contains("Max-Age=0") }, "no session cookie")
            #expect(try await h.user().status == 401)
        }
    }

    @Test("without prompt=none, a provider error is still an error page; an unknown prompt is 400; prompt=login is passed on")
    func otherPrompts() async throws {
        try await GatehouseHarness.run { h in
            let bogus = try await h.browser.get(h.gatehouse + "/bff/login?prompt=bogus")
            #expect(bogus.status == 400)
            #expect(bogus.body.contains("invalid_request"))
            let login = try await h.browser.get(h.gatehouse + "/bff/login?prompt=login")
            #expect(URLComponents(string: try #require(login.location))?.queryItems?.first { $0.name == "prompt" }?.value == "login")
            // A login_required answer to a login that was not silent is not turned into a quiet return.
            let (_, state) = try await h.startLogin()
            let forged = try await h.browser.get(h.gatehouse + "/bff/callback?error=login_required&state=\(state)&iss=\(h.issuer.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")")
            #expect(forged.status == 400 || forged.status == 502, "an error answer, not a redirect: \(forged.status)")
            #expect(forged.location == nil)
        }
    }

    @Test("prompt=none with a provider session: a new session without any page; with acr_values the session cannot meet, login_required")
    func silentWithProviderSession() async throws {
        let routes: @Sendable (URL) -> [Route] = { upstream in
            [Route(path: "/api/", upstream: upstream), Route(path: "/mfa/", upstream: upstream, require: .init(acr: [DevOpenIDProvider.multiFactorACR]))]
        }
        try await GatehouseHarness.run(routes: routes) { h in
            try await h.login()
            let first = try #require(h.sessionCookie)
            let login = try await h.browser.get(h.gatehouse + "/bff/login?prompt=none&returnUrl=%2Finbox")
            let answer = try await h.browser.get(try #require(login.location))
            #expect(answer.status == 302, "no login page: the provider reuses its session")
            let callback = try #require(answer.location)
            #expect(callback.contains("code=") && !callback.contains("error="))
            let back = try await h.browser.get(callback)
            #expect(back.location == "/inbox")
            let renewed = try #require(h.sessionCookie)
            #expect(renewed != first, "a new session, as every login makes")
            #expect(try await h.user().status == 200)

            // A silent login asking for a stronger sign-in than the provider session has cannot be silent.
            let stronger = try await h.browser.get(h.gatehouse + "/bff/login?prompt=none&returnUrl=%2F&acr_values=" + DevOpenIDProvider.multiFactorACR.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)
            let refused = try await h.browser.get(try #require(stronger.location))
            #expect(try #require(refused.location).contains("error=login_required"))
            let quiet = try await h.browser.get(try #require(refused.location))
            #expect(quiet.location == "/?error=login_required")
            #expect(try await h.user().status == 200, "the existing session is untouched")
        }
    }
}

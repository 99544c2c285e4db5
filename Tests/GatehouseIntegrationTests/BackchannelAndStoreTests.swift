import DevOpenIDProvider
import Foundation
import GatehouseRedis
import GatehouseTestSupport
import Testing

@Suite("Back-channel logout, Redis outage and what Redis holds")
struct BackchannelAndStoreTests {
    private func sid(_ h: GatehouseHarness) async throws -> String {
        let claims = try #require(try JSONSerialization.jsonObject(with: Data(try await h.user().body.utf8)) as? [String: Any])
        return try #require(claims["sid"] as? String)
    }

    @Test("back-channel logout by sid ends that session")
    func bySID() async throws {
        try await GatehouseHarness.run { h in
            try await h.login()
            let deliveries = await h.provider.sendBackchannelLogout(sid: try await sid(h))
            #expect(deliveries.allSatisfy { $0.status == 200 })
            #expect(!deliveries.isEmpty)
            #expect(try await h.user().status == 401)
        }
    }

    @Test("back-channel logout by sub ends every session of that user")
    func bySubject() async throws {
        try await GatehouseHarness.run { h in
            try await h.login()
            let first = try #require(h.sessionCookie)
            h.browser.clearCookies()
            try await h.login()
            let logoutToken = try await h.provider.makeLogoutToken(clientID: GatehouseHarness.clientID, sub: "3f2a1c9e-demo-user-0001")
            let answer = try await h.browser.post(h.gatehouse + "/bff/backchannel-logout", form: [("logout_token", logoutToken)])
            #expect(answer.status == 200)
            #expect(try await h.user().status == 401)
            h.browser.setCookie(h.configuration.session.cookieName, first, for: h.gatehouse)
            #expect(try await h.user().status == 401)
            #expect(try await sessionKeys(h).isEmpty)
        }
    }

    @Test("a replayed logout token (same jti) is refused with 400")
    func replayedJTI() async throws {
        try await GatehouseHarness.run { h in
            try await h.login()
            let token = try await h.provider.makeLogoutToken(clientID: GatehouseHarness.clientID, sid: try await sid(h))
            #expect(try await h.browser.post(h.gatehouse + "/bff/backchannel-logout", form: [("logout_token", token)]).status == 200)
            let replay = try await h.browser.post(h.gatehouse + "/bff/backchannel-logout", form: [("logout_token", token)])
            #expect(replay.status == 400)
            #expect(replay.body.contains("already used"))
        }
    }

    @Test("a logout token with a bad signature is refused and ends nothing")
    func badSignature() async throws {
        try await GatehouseHarness.run { h in
            try await h.login()
            let token = try await h.provider.makeLogoutToken(clientID: GatehouseHarness.clientID, sid: try await sid(h))
            var parts = token.split(separator: ".").map(String.init)
            parts[2] = String(parts[2].reversed())
            let answer = try await h.browser.post(h.gatehouse + "/bff/backchannel-logout", form: [("logout_token", parts.joined(separator: "."))])
            #expect(answer.status == 400)
            #expect(try await h.user().status == 200)
            #expect(try await h.browser.post(h.gatehouse + "/bff/backchannel-logout", form: []).status == 400)
        }
    }

    @Test("Redis stopped: /bff/user and /bff/login answer 503, never 401")
    func redisDown() async throws {
        try await GatehouseHarness.run { h in
            try await h.login()
            await h.redis.kill()
            let user = try await h.user()
            #expect(user.status == 503)
            #expect(user.body.contains("session_store_unavailable"))
            #expect(try await h.browser.get(h.gatehouse + "/bff/login").status == 503)
        }
    }

    @Test("Redis holds no cookie value in any key and no token, subject or email in plaintext")
    func redisScan() async throws {
        try await GatehouseHarness.run { h in
            try await h.login()
            let (pending, _) = try await h.startLogin()
            _ = pending
            let cookie = try #require(h.sessionCookie)
            let loginCookie = try #require(h.browser.cookies(for: h.gatehouse)[h.configuration.loginCookieName])
            let keys = (try await h.redisClient.send([Array("KEYS".utf8), Array("*".utf8)]).array ?? []).compactMap(\.bytes)
            #expect(keys.count >= 3, "a session, its index and a pending login")
            for key in keys {
                let name = String(decoding: key, as: UTF8.self)
                #expect(!name.contains(cookie) && !name.contains(loginCookie))
                #expect(!name.contains("3f2a1c9e-demo-user-0001"))
                let type = try await h.redisClient.send([Array("TYPE".utf8), key])
                let values: [[UInt8]]
                if type == .simpleString("set") {
                    values = try await h.redisClient.smembers(name)
                } else if type == .simpleString("zset") {
                    // The sub/sid indexes: members are session-key hashes.
                    values = (try await h.redisClient.send([Array("ZRANGE".utf8), key, Array("0".utf8), Array("-1".utf8)]).array ?? []).compactMap(\.bytes)
                } else {
                    values = [try await h.redisClient.get(name) ?? []]
                }
                for value in values {
                    let text = String(decoding: value, as: UTF8.self)
                    for secret in [cookie, loginCookie, "eyJ", "3f2a1c9e-demo-user-0001", "demo@example.com", "Bearer"] {
                        #expect(!text.contains(secret), "a Redis value holds plaintext")
                    }
                }
            }
        }
    }
}

import DevOpenIDProvider
import Foundation
@testable import GatehouseServer
import GatehouseTestSupport
import Testing

/// `oidc.dpop: true` end to end (RFC 9449): real HTTP, real Redis, the development provider.
@Suite("DPoP-bound sessions: proofs to the provider and on every upstream call")
struct DPoPProxyTests {
    static func routes(_ upstream: URL) -> [Route] {
        let any = URL(string: upstream.absoluteString + "any")!
        return [
            Route(path: "/api/", upstream: upstream),
            Route(path: "/any/", upstream: any, stripPrefix: true),
            Route(path: "/orders/", upstream: any, stripPrefix: true, audience: GatehouseHarness.exchangeAudience),
        ]
    }

    /// What the echo upstream saw for one call through Gatehouse.
    struct Seen {
        var status: Int
        var authorization: String?
        var proof: String?
        var proofCount: Int
        var path: String?
    }

    static func call(_ h: GatehouseHarness, _ method: String, _ path: String, headers: [(String, String)] = []) async throws -> Seen {
        let page = method == "POST"
            ? try await h.browser.post(h.gatehouse + path, form: [("a", "1")], headers: [("X-CSRF", "1")] + headers)
            : try await h.browser.get(h.gatehouse + path, headers: [("X-CSRF", "1")] + headers)
        let body = try? JSONSerialization.jsonObject(with: Data(page.body.utf8)) as? [String: Any]
        let received = body?["headers"] as? [String: String] ?? [:]
        let proof = received["dpop"]
        return Seen(status: page.status, authorization: received["authorization"], proof: proof, proofCount: proof.map { $0.split(separator: ",").count } ?? 0, path: body?["path"] as? String)
    }

    @Test("every upstream call carries Authorization: DPoP and a fresh proof of the session's key for its method and URL (ath included); a browser's DPoP header never passes")
    func proofOnEveryCall() async throws {
        try await GatehouseHarness.run(configure: { $0.oidc.dpop = true }, routes: Self.routes) { h in
            try await h.login()
            var seenIDs: [String: Date] = [:]
            var jkts: Set<String> = []
            let upstream = "http://127.0.0.1:" + String(URL(string: Self.upstreamOrigin(h))!.port!)
            for (method, path, upstreamPath) in [("GET", "/any/a", "/any/a"), ("POST", "/any/b", "/any/b"), ("GET", "/any/c?x=1&y=2", "/any/c"), ("GET", "/any/a", "/any/a")] {
                let seen = try await Self.call(h, method, path, headers: [("DPoP", "forged-by-the-browser")])
                #expect(seen.status == 200)
                let authorization = try #require(seen.authorization)
                #expect(authorization.hasPrefix("DPoP "), "\(method) \(path): \(authorization.prefix(5))")
                let token = String(authorization.dropFirst("DPoP ".count))
                #expect(seen.proofCount == 1, "only Gatehouse's proof reaches the upstream")
                let proof = try #require(seen.proof)
                #expect(proof != "forged-by-the-browser")
                // As the upstream must check it: method, URL without query, ath; each proof new.
                let check = DPoPProofCheck(method: method, url: upstream + upstreamPath, accessToken: token)
                let jkt = try check.verify(proof, now: Date(), seen: &seenIDs)
                #expect(await h.provider.accessTokenBinding(token)?.jkt == jkt, "the token is bound to the key that signed the proof")
                jkts.insert(jkt)
            }
            #expect(jkts.count == 1, "one key for the whole session")

            // A second login is another session with another key.
            try await h.login()
            let next = try await Self.call(h, "GET", "/any/a")
            let nextToken = String(try #require(next.authorization).dropFirst("DPoP ".count))
            #expect(await h.provider.accessTokenBinding(nextToken)?.jkt.map { !jkts.contains($0) } == true)
        }
    }

    /// The echo upstream's origin, from the harness's default route.
    static func upstreamOrigin(_ h: GatehouseHarness) -> String {
        h.configuration.routes.first { $0.path == "/api/" }!.upstream.absoluteString
    }

    @Test("the access token the upstream saw is useless stolen: the provider refuses it as a bearer and without a proof of the key")
    func stolenToken() async throws {
        try await GatehouseHarness.run(configure: { $0.oidc.dpop = true }, routes: Self.routes) { h in
            try await h.login()
            let seen = try await Self.call(h, "GET", "/any/a")
            let token = String(try #require(seen.authorization).dropFirst("DPoP ".count))
            #expect(await h.provider.accessTokenBinding(token)?.jkt != nil)
            let asBearer = try await h.browser.get(h.issuer + "/userinfo", headers: [("Authorization", "Bearer " + token)])
            #expect(asBearer.status == 401)
            // Replaying the captured proof too: it named the upstream, and it was used.
            let withProof = try await h.browser.get(h.issuer + "/userinfo", headers: [("Authorization", "DPoP " + token), ("DPoP", try #require(seen.proof))])
            #expect(withProof.status == 401 || withProof.status == 400)
        }
    }

    @Test("refresh, token exchange and logout's revocation carry proofs; the refreshed and exchanged tokens stay bound to the session's key")
    func providerCalls() async throws {
        try await GatehouseHarness.run(
            configure: { $0.oidc.dpop = true }, routes: Self.routes,
            // Inside refresh_before_expiry (60 s): every call refreshes first.
            provider: { $0.lifetimes.accessToken = .seconds(30) }
        ) { h in
            try await h.login()
            let first = try await Self.call(h, "GET", "/any/a")
            let second = try await Self.call(h, "GET", "/any/a")
            #expect(first.status == 200 && second.status == 200)
            #expect(await h.provider.currentGrantCounts().refreshToken >= 2, "each call refreshed (with a proof, or the bound grant would refuse)")
            let token = String(try #require(second.authorization).dropFirst("DPoP ".count))
            let jkt = try #require(await h.provider.accessTokenBinding(token)?.jkt)

            let orders = try await Self.call(h, "GET", "/orders/x")
            #expect(orders.status == 200)
            let exchanged = String(try #require(orders.authorization).dropFirst("DPoP ".count))
            #expect(await h.provider.accessTokenBinding(exchanged)?.audience == GatehouseHarness.exchangeAudience)
            #expect(await h.provider.accessTokenBinding(exchanged)?.jkt == jkt)

            let logout = try await h.browser.post(h.gatehouse + "/bff/logout", form: [], headers: [("X-CSRF", "1")])
            #expect(logout.status == 200)
            #expect(await h.provider.currentGrantCounts().revocation >= 1)
        }
    }

    @Test("a DPoP-Nonce challenge is answered with one retry; the nonce is then reused, and a new one costs one retry again")
    func nonce() async throws {
        try await GatehouseHarness.run(
            configure: { $0.oidc.dpop = true }, routes: Self.routes, provider: { $0.lifetimes.accessToken = .seconds(30) }
        ) { h in
            await h.provider.setDPoPNonce("nonce-one")
            try await h.login()
            #expect(try await h.user().status == 200, "the login answered the challenge")
            #expect(await h.provider.currentGrantCounts().authorizationCode == 2, "one challenged code exchange, one answered")

            await h.provider.resetGrantCounts()
            #expect(try await Self.call(h, "GET", "/any/a").status == 200)
            #expect(await h.provider.currentGrantCounts().refreshToken == 1, "the nonce was remembered: no second attempt")

            await h.provider.setDPoPNonce("nonce-two")
            #expect(try await Self.call(h, "GET", "/any/a").status == 200)
            #expect(await h.provider.currentGrantCounts().refreshToken == 3, "a changed nonce: one challenged refresh, one answered")
        }
    }

    @Test("an upstream's DPoP-Nonce challenge is answered with one retry, and its nonce is then sent from the start")
    func upstreamNonce() async throws {
        let routes: @Sendable (URL) -> [Route] = { upstream in
            [Route(path: "/api/", upstream: upstream), Route(path: "/nonce/", upstream: URL(string: upstream.absoluteString + "nonce")!, stripPrefix: true)]
        }
        try await GatehouseHarness.run(configure: { $0.oidc.dpop = true }, routes: routes) { h in
            try await h.login()
            let before = ProxyTestUpstream.nonceRequests.value
            let first = try await h.browser.get(h.gatehouse + "/nonce/a", headers: [("X-CSRF", "1")])
            #expect(first.status == 200, "the challenge was answered: \(first.body)")
            #expect(ProxyTestUpstream.nonceRequests.value - before == 2, "one challenged request, one retry")
            let second = try await h.browser.get(h.gatehouse + "/nonce/b", headers: [("X-CSRF", "1")])
            #expect(second.status == 200)
            #expect(ProxyTestUpstream.nonceRequests.value - before == 3, "the remembered nonce: no challenge")
        }
    }

    @Test("without oidc.dpop the same setup stays Bearer, with no proof")
    func offStaysBearer() async throws {
        try await GatehouseHarness.run(routes: Self.routes) { h in
            try await h.login()
            let seen = try await Self.call(h, "GET", "/any/a", headers: [("DPoP", "forged-by-the-browser")])
            #expect(seen.authorization?.hasPrefix("Bearer ") == true)
            #expect(seen.proof == nil)
        }
    }
}

extension RefreshStormTests {
    @Test("DPoP: 100 concurrent calls over three replicas after expiry, exactly one refresh, every call with a DPoP token")
    func dpopStorm() async throws {
        try await withReplicas(dpop: true) { cluster in
            await cluster.provider.setLifetimes(.init(accessToken: .seconds(7)))
            try await cluster.waitUntilDue(lifetime: cluster.loginAccessLifetime)
            let (statuses, tokens) = try await cluster.storm(calls: 100)
            #expect(statuses == [200: 100])
            #expect(await cluster.provider.currentGrantCounts().refreshToken == 1)
            #expect(tokens.count == 1)
            #expect(tokens.allSatisfy { $0.hasPrefix("DPoP ") }, "\(tokens.map { $0.prefix(6) })")
        }
    }
}

import Foundation
import GatehouseOAuth
@testable import GatehouseServer
import Testing

@Suite("Authorization per route: the rules, without I/O")
struct RouteRequirementsTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    var claims: [String: JSONValue] {
        [
            "sub": .string("u1"), "groups": .array([.string("staff"), .string("orders-admins")]), "email_verified": .bool(true),
            "acr": .string("urn:example:pwd"), "auth_time": .integer(Int64(now.timeIntervalSince1970) - 600),
        ]
    }

    @Test("claims: a list claim holding an accepted value, a string or boolean equal to one; a missing or other value fails with the rule's key")
    func claimRules() {
        #expect(RouteRequirements(claims: ["groups": ["orders-admins"]]).verdict(claims: claims, scopes: [], now: now) == .allowed)
        #expect(RouteRequirements(claims: ["groups": ["nobody", "staff"]]).verdict(claims: claims, scopes: [], now: now) == .allowed)
        #expect(RouteRequirements(claims: ["sub": ["u1"], "email_verified": ["true"]]).verdict(claims: claims, scopes: [], now: now) == .allowed)
        #expect(RouteRequirements(claims: ["groups": ["admins"]]).verdict(claims: claims, scopes: [], now: now) == .insufficient(rule: "claims.groups"))
        #expect(RouteRequirements(claims: ["department": ["sales"]]).verdict(claims: claims, scopes: [], now: now) == .insufficient(rule: "claims.department"))
        #expect(RouteRequirements(claims: ["sub": ["u2"]]).verdict(claims: claims, scopes: [], now: now) == .insufficient(rule: "claims.sub"))
    }

    @Test("scopes: every one must be granted")
    func scopeRules() {
        let rules = RouteRequirements(scopes: ["orders.read", "orders.write"])
        #expect(rules.verdict(claims: claims, scopes: ["openid", "orders.read", "orders.write"], now: now) == .allowed)
        #expect(rules.verdict(claims: claims, scopes: ["openid", "orders.read"], now: now) == .insufficient(rule: "scopes"))
    }

    @Test("acr and max_age ask for a step-up; claims and scopes failing first stay 403, since a new login does not cure them")
    func stepUpRules() {
        #expect(RouteRequirements(acr: ["urn:example:pwd"]).verdict(claims: claims, scopes: [], now: now) == .allowed)
        #expect(RouteRequirements(acr: ["urn:example:mfa"]).verdict(claims: claims, scopes: [], now: now) == .stepUp(rule: "acr"))
        #expect(RouteRequirements(maxAge: .seconds(900)).verdict(claims: claims, scopes: [], now: now) == .allowed)
        #expect(RouteRequirements(maxAge: .seconds(300)).verdict(claims: claims, scopes: [], now: now) == .stepUp(rule: "max_age"))
        var noAuthTime = claims
        noAuthTime["auth_time"] = nil
        #expect(RouteRequirements(maxAge: .seconds(900)).verdict(claims: noAuthTime, scopes: [], now: now) == .stepUp(rule: "max_age"), "no auth_time, no proof of recency")
        let both = RouteRequirements(claims: ["groups": ["admins"]], acr: ["urn:example:mfa"])
        #expect(both.verdict(claims: claims, scopes: [], now: now) == .insufficient(rule: "claims.groups"))
        let login = RouteRequirements(acr: ["urn:a", "urn:b"], maxAge: .seconds(900)).stepUpParameters()
        #expect(login.map(\.0) == ["acr_values", "max_age"] && login.map(\.1) == ["urn:a urn:b", "900"])
    }

    private func route(_ lines: String) -> String {
        minimalYAML + "\nroutes:\n  - path: /api/\n    upstream: http://127.0.0.1:9000/\n" + lines
    }

    @Test("require and audience load from YAML as PRODUCT.md writes them, and the summary names the rules")
    func loads() throws {
        let yaml = route("""
                require:
                  claims:
                    groups: [orders-admins]
                    email_verified: true
                  scopes: [orders.read]
                  acr: [urn:example:mfa]
                  max_age: 15m
                audience: https://orders.example.com
            """)
        let configuration = try ConfigurationLoader(environment: [:]).load(yaml: yaml)
        let loaded = try #require(configuration.routes.first)
        #expect(loaded.require == RouteRequirements(claims: ["groups": ["orders-admins"], "email_verified": ["true"]], scopes: ["orders.read"], acr: ["urn:example:mfa"], maxAge: .seconds(900)))
        #expect(loaded.audience == "https://orders.example.com")
        #expect(configuration.summary.contains("require claims.email_verified,claims.groups,scopes,acr,max_age"))
        #expect(try ConfigurationLoader(environment: [:]).load(yaml: route("")).routes.first?.require == nil)
    }

    @Test("bad rules are problems with their key paths: unknown rule, empty lists, no rule, audience without a user token")
    func refused() {
        let typo = problems(route("    require:\n      scope: [orders.read]\n"))
        #expect(Set(typo.map(\.keyPath)) == ["routes[0].require", "routes[0].require.scope"])
        #expect(typo.first { $0.keyPath == "routes[0].require.scope" }?.message.contains("did you mean scopes?") == true)
        #expect(problems(route("    require:\n      scopes: []\n")).map(\.keyPath) == ["routes[0].require.scopes"])
        #expect(problems(route("    require:\n      acr: []\n")).map(\.keyPath) == ["routes[0].require.acr"])
        #expect(problems(route("    require:\n      claims: {groups: []}\n")).map(\.keyPath) == ["routes[0].require.claims.groups"])
        #expect(problems(route("    require:\n      claims: [groups]\n")).map(\.keyPath) == ["routes[0].require.claims"])
        #expect(problems(route("    require:\n      max_age: soon\n")).map(\.keyPath) == ["routes[0].require.max_age"])
        #expect(problems(route("    require: {}\n")).map(\.keyPath) == ["routes[0].require"])
        #expect(problems(route("    require: admins\n")).map(\.keyPath) == ["routes[0].require"])
        #expect(problems(route("    token: client\n    audience: https://orders.example.com\n")).map(\.keyPath) == ["routes[0].audience"])
    }
}

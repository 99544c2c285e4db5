@testable import GatehouseServer
import Testing

/// The pure parsers behind PRODUCT.md "Hostile input", without a socket.
@Suite("Hostile input parsers: request target, cookies, forms, limits config")
struct HostileInputParsingTests {
    @Test("canonical targets pass, with their query untouched", arguments: [
        "/", "/api/x", "/api/x?y=%2F..%2F", "/api/a%20b/c", "/api//double", "/api/.well-known", "/api/..x", "/api/x..", "/api/...", "/api/%41",
        "/api/;/x", "/api/x;.;y",
    ])
    func canonical(_ target: String) {
        #expect(RequestTarget.problem(in: target) == nil, "\(target)")
    }

    @Test("every spelling of a dot segment, encoded separator, backslash, control byte, bad escape or non-origin form is refused", arguments: [
        ("/api/../x", RequestTarget.Problem.dotSegment), ("/api/./x", .dotSegment), ("/api/..", .dotSegment), ("/api/.", .dotSegment),
        ("/api/%2e%2e/x", .dotSegment), ("/api/%2E./x", .dotSegment), ("/api/.%2e", .dotSegment), ("/api/..;/x", .dotSegment),
        ("/api/..;jsessionid=1/x", .dotSegment), ("/api/%2e;x/y", .dotSegment), ("/..", .dotSegment),
        ("/api/..%2fx", .encodedSeparator), ("/api/%2F", .encodedSeparator), ("/api/%5c", .encodedSeparator), ("/api/%5C", .encodedSeparator),
        ("/api/a\\b", .backslash), ("/api/%00", .controlCharacter), ("/api/\u{0}", .controlCharacter), ("/api/%0a", .controlCharacter),
        ("/api/x?a=\r\n", .controlCharacter), ("/api/%", .malformedEscape), ("/api/%2", .malformedEscape), ("/api/%zz", .malformedEscape),
        ("http://evil/api/x", .notOriginForm), ("*", .notOriginForm), ("", .notOriginForm), ("api/x", .notOriginForm),
    ])
    func refused(_ target: String, _ problem: RequestTarget.Problem) {
        #expect(RequestTarget.problem(in: target) == problem, "\(target)")
    }

    @Test("a cookie name that occurs once is found; twice (in one header or across headers) is ambiguous; a prefix or suffix is not the name")
    func cookies() {
        #expect(CookieHeader.lookup("gatehouse", in: ["a=1; gatehouse=abc ; b=2"]) == .value("abc"))
        #expect(CookieHeader.lookup("gatehouse", in: ["gatehouse=abc; gatehouse=def"]) == .ambiguous)
        #expect(CookieHeader.lookup("gatehouse", in: ["gatehouse=abc", "x=1; gatehouse=abc"]) == .ambiguous)
        #expect(CookieHeader.lookup("gatehouse", in: ["gatehouse-login=1; xgatehouse=2; gatehouse"]) == .absent)
        #expect(CookieHeader.lookup("gatehouse", in: ["gatehouse="]) == .value(""))
        #expect(CookieHeader.lookup("gatehouse", in: []) == .absent)
    }

    @Test("a form parameter is found once; repeated it is refused, as with cookies")
    func forms() {
        #expect(FormBody.value("logout_token", in: "logout_token=a.b%2Ec&x=1") == "a.b.c")
        #expect(FormBody.value("logout_token", in: "logout_token=a&logout_token=b") == nil)
        #expect(FormBody.value("logout_token", in: "other=1") == nil)
        #expect(FormBody.value("logout_token", in: "logout_token=%zz") == nil)
    }

    @Test("limits default to PRODUCT.md's values and each is read, with a key path for a bad one")
    func limitsConfig() throws {
        let defaults = try ConfigurationLoader(environment: [:]).load(yaml: minimalYAML).limits
        #expect(defaults == ListenerLimits())
        #expect(defaults.headerReadTimeout == .seconds(10) && defaults.keepAliveTimeout == .seconds(75) && defaults.bodyReadTimeout == .seconds(30))
        #expect(defaults.maxConnections == 10_000 && defaults.maxHeaderCount == 100)
        let yaml = minimalYAML + "\nlimits:\n  header_read_timeout: 2s\n  keep_alive_timeout: 5s\n  body_read_timeout: 3s\n  max_connections: 50\n  max_header_count: 20\n"
        let custom = try ConfigurationLoader(environment: ["GATEHOUSE_LIMITS_MAX_HEADER_COUNT": "30"]).load(yaml: yaml).limits
        #expect(custom == ListenerLimits(headerReadTimeout: .seconds(2), keepAliveTimeout: .seconds(5), bodyReadTimeout: .seconds(3), maxConnections: 50, maxHeaderCount: 30))
        let bad = problems(minimalYAML + "\nlimits:\n  max_connections: 0\n  max_header_count: many\n  header_read_timout: 1s\n")
        #expect(bad.map(\.description) == [
            "limits.header_read_timout: unknown key (did you mean header_read_timeout?)",
            "limits.max_connections: expected a whole number of at least 1, found \"0\"",
            "limits.max_header_count: expected a whole number of at least 1, found \"many\"",
        ])
        #expect(try ConfigurationLoader(environment: [:]).load(yaml: minimalYAML.replacingOccurrences(of: "session:", with: "session:\n  max_per_user: 3")).session.maxPerUser == 3)
    }
}

@testable import GatehouseServer
import HTTPTypes
import Logging
import Testing

/// What the proxy path checks and sets on every call, tried against headers a hostile browser
/// or a careless upstream would send.
@Suite("The proxy path's CSRF check and security headers")
struct ProxyResponseHardeningTests {
    static let csrf = CSRFCheck(headerName: "X-CSRF")
    static let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    static func passes(_ fields: HTTPFields) -> Bool {
        (try? csrf.require(fields, method: .get, path: "/api/x", logger: logger)) != nil
    }

    @Test("CSRF: one X-CSRF: 1 passes; none, another value, or the header twice (even 1 and 1) does not")
    func csrfHeader() {
        let name = HTTPField.Name("X-CSRF")!
        #expect(Self.passes([name: "1"]))
        #expect(!Self.passes([:]))
        #expect(!Self.passes([name: "2"]))
        var twice = HTTPFields()
        twice.append(HTTPField(name: name, value: "1"))
        twice.append(HTTPField(name: name, value: "1"))
        #expect(!Self.passes(twice))
        var oneThenOther = HTTPFields()
        oneThenOther.append(HTTPField(name: name, value: "1"))
        oneThenOther.append(HTTPField(name: name, value: "0"))
        #expect(!Self.passes(oneThenOther))
    }

    @Test("security headers: an upstream's own framing, sniffing and HSTS values are replaced, never doubled; a plain answer gets the set once")
    func securityHeadersReplaceUpstreamValues() {
        let frame = HTTPField.Name("X-Frame-Options")!
        var fromUpstream: HTTPFields = [.contentType: "application/json", frame: "ALLOWALL", .strictTransportSecurity: "max-age=1"]
        SecurityHeaders(publicURLIsHTTPS: false).apply(to: &fromUpstream)
        #expect(fromUpstream[values: frame] == ["DENY"])
        #expect(fromUpstream[.strictTransportSecurity] == nil, "no HSTS over a plain-http public URL, whoever set it")
        #expect(fromUpstream[.contentType] == "application/json")

        var plain: HTTPFields = [.contentType: "application/json"]
        SecurityHeaders(publicURLIsHTTPS: true).apply(to: &plain)
        for name in [.contentSecurityPolicy, .xContentTypeOptions, HTTPField.Name("Referrer-Policy")!, frame, .init("Cross-Origin-Opener-Policy")!, .strictTransportSecurity] {
            #expect(plain[values: name].count == 1, "\(name) once")
        }
        var customPolicy: HTTPFields = [:]
        SecurityHeaders(contentSecurityPolicy: "default-src 'none'", publicURLIsHTTPS: false).apply(to: &customPolicy)
        #expect(customPolicy[.contentSecurityPolicy] == "default-src 'none'")
        #expect(customPolicy[.strictTransportSecurity] == nil)
    }
}

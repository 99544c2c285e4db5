import Foundation
import GatehouseTestSupport
import Testing

@Suite("Ambiguous request framing is refused before anything is proxied")
struct RequestSmugglingTests {
    private func port(_ h: GatehouseHarness) -> Int { URL(string: h.gatehouse)!.port! }

    @Test("Content-Length together with Transfer-Encoding: refused", arguments: [
        "POST /open/x HTTP/1.1\r\nHost: a\r\nX-CSRF: 1\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /public/smuggled HTTP/1.1\r\nHost: a\r\n\r\n",
        "POST /open/x HTTP/1.1\r\nHost: a\r\nX-CSRF: 1\r\nContent-Length: 4\r\nContent-Length: 40\r\n\r\nabcd",
        "POST /open/x HTTP/1.1\r\nHost: a\r\nX-CSRF: 1\r\nTransfer-Encoding: chunked, identity\r\n\r\n4\r\nabcd\r\n0\r\n\r\n",
    ])
    func ambiguousFraming(request: String) async throws {
        try await GatehouseHarness.run(routes: ProxyTests.routes) { h in
            let answer = await RawHTTP.exchange(port: port(h), request: request)
            #expect(answer.hasPrefix("HTTP/1.1 400"), "an ambiguous request is refused, not forwarded: \(answer.prefix(80))")
            #expect(!answer.contains("smuggled"))
        }
    }

    @Test("a well-framed raw request still works (the refusals above are not just a broken client)")
    func control() async throws {
        try await GatehouseHarness.run(routes: ProxyTests.routes) { h in
            let answer = await RawHTTP.exchange(port: port(h), request: "GET /public/fine HTTP/1.1\r\nHost: a\r\nX-CSRF: 1\r\nConnection: close\r\n\r\n")
            #expect(answer.hasPrefix("HTTP/1.1 200"))
            #expect(answer.contains(#"\/any\/fine"#))
        }
    }
}

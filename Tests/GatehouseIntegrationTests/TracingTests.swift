import DevOpenIDProvider
import Foundation
@testable import GatehouseServer
import GatehouseTestSupport
import InMemoryLogging
import Logging
import Testing

/// OpenTelemetry traces over real HTTP: Gatehouse exports to a stand-in collector, continues the
/// browser's `traceparent`, sends its own to the upstream, puts the trace id in log lines, and no
/// token, cookie, code or state reaches a span.
@Suite("Tracing")
struct TracingTests {
    static let browserTrace = "4bf92f3577b34da6a3ce929d0e0e4736"
    static let browserSpan = "00f067aa0ba902b7"

    @Test("a proxied call is a span under the browser's traceparent, with store, provider and upstream children; the upstream and the log see the trace")
    func tracedRequests() async throws {
        let receiver = OTLPReceiver(port: try freeLoopbackPort())
        let logs = InMemoryLogHandler()
        let deadPort = try freeLoopbackPort()
        try await GatehouseHarness.run(
            configure: { $0.telemetry.otlpEndpoint = receiver.endpoint },
            routes: { upstream in
                [Route(path: "/api/", upstream: upstream), Route(path: "/gone/", upstream: URL(string: "http://127.0.0.1:\(deadPort)/")!)]
            },
            logger: Logger(label: "gatehouse") { _ in logs },
            alongside: [receiver.application()]
        ) { harness in
            let tracing = try #require(harness.tracing)
            // The login by hand, to keep the code and state it carried.
            let (page, state) = try await harness.startLogin()
            let toCallback = try await harness.submitLogin(page)
            let callback = try #require(toCallback.location)
            let code = try #require(URLComponents(string: callback)?.queryItems?.first { $0.name == "code" }?.value)
            #expect(try await harness.browser.get(callback).status == 302)
            let cookie = try #require(harness.sessionCookie)

            let traceparent = "00-\(Self.browserTrace)-\(Self.browserSpan)-01"
            let echo = try await harness.browser.get(
                harness.gatehouse + "/api/echo", headers: [("X-CSRF", "1"), ("traceparent", traceparent), ("tracestate", "evil=made-up-by-the-browser")]
            )
            #expect(echo.status == 200)
            let seen = try #require(try JSONSerialization.jsonObject(with: Data(echo.body.utf8)) as? [String: String])
            let accessToken = try #require(seen["authorization"].map { String($0.dropFirst("Bearer ".count)) })
            // The upstream gets Gatehouse's span as its parent, in the browser's trace.
            #expect(seen["tracestate"] == "", "a browser's tracestate is neither continued nor passed on")
            let upstreamParent = try #require(seen["traceparent"]?.split(separator: "-").map(String.init))
            #expect(upstreamParent.count == 4 && upstreamParent[1] == Self.browserTrace && upstreamParent[2] != Self.browserSpan)

            let goneTrace = "0af7651916cd43dd8448eb211c80319c"
            let gone = try await harness.browser.get(harness.gatehouse + "/gone/x", headers: [("X-CSRF", "1"), ("traceparent", "00-\(goneTrace)-b7ad6b7169203331-01")])
            #expect(gone.status == 502)

            // A refusal is the request's outcome, not a failure of Gatehouse: no error status.
            #expect(try await harness.browser.get(harness.gatehouse + "/bff/user").status == 403)
            #expect(try await harness.browser.send(harness.gatehouse + "/no/such/thing", method: .POST).status == 404)

            tracing.forceFlush()
            let spans = try await receiver.waitForSpans { spans in
                ["GET api:/gone/", "upstream /api/", "GET api:/api/", "GET bff:callback"].allSatisfy { name in spans.contains { $0.name == name } }
                    && spans.contains { $0.name.hasPrefix("provider POST") } && spans.contains { $0.name == "POST static" }
                    && spans.contains { $0.name == "GET bff:user" && $0.attributes["http.response.status_code"] == "403" }
            }
            let request = try #require(spans.first { $0.name == "GET api:/api/" }, "spans: \(spans)")
            #expect(request.traceID == Self.browserTrace && request.parentSpanID == Self.browserSpan && request.kind == 2)
            #expect(request.attributes["http.response.status_code"] == "200" && request.attributes["gatehouse.session_cookie"] == "true")
            let upstream = try #require(spans.first { $0.name == "upstream /api/" })
            #expect(upstream.traceID == Self.browserTrace && upstream.parentSpanID == request.spanID && upstream.kind == 3)
            #expect(upstream.spanID == upstreamParent[2])

            // The callback: a token-endpoint call and the session's save, both under its span.
            let callbackSpan = try #require(spans.first { $0.name == "GET bff:callback" })
            let children = spans.filter { $0.traceID == callbackSpan.traceID && $0.parentSpanID == callbackSpan.spanID }.map(\.name)
            #expect(children.contains { $0.hasPrefix("provider POST") }, "\(children)")
            #expect(children.contains("session_store save"), "\(children)")

            let refused = try #require(spans.first { $0.name == "GET bff:user" && $0.attributes["http.response.status_code"] == "403" }, "\(spans)")
            #expect(refused.statusCode == 0)
            let missing = try #require(spans.first { $0.name == "POST static" }, "\(spans)")
            #expect(missing.statusCode == 0 && missing.attributes["http.response.status_code"] == "404" && missing.attributes["error.type"] == nil)
            #expect(!String(decoding: receiver.rawBytes, as: UTF8.self).contains("made-up-by-the-browser"))
            let failed = try #require(spans.first { $0.name == "GET api:/gone/" })
            #expect(failed.traceID == goneTrace && failed.statusCode == 2 && failed.attributes["http.response.status_code"] == "502")
            // The warning about the dead upstream carries the request's trace id.
            let warning = try #require(logs.entries.first { $0.message.description == "upstream failed" })
            #expect(warning.metadata["trace_id"]?.description == goneTrace)

            // Nothing secret in any span, in any form the exporter wrote.
            let exported = String(decoding: receiver.rawBytes, as: UTF8.self)
            for (name, secret) in [("access token", accessToken), ("cookie", cookie), ("code", code), ("state", state), ("client secret", GatehouseHarness.clientSecret)] {
                #expect(!secret.isEmpty && !exported.contains(secret), "the \(name) is in an exported span")
            }
            #expect(!exported.contains("/bff/callback?"), "a query string was exported")
        }
    }

    @Test("gatehouse serve: a JSON log line carries the request's trace id, and SIGTERM sends the last spans before the process exits")
    func binary() async throws {
        let receiver = OTLPReceiver(port: try freeLoopbackPort())
        let provider = try DevOpenIDProvider(configuration: .init(clients: []))
        let deadPort = try freeLoopbackPort()
        try await TestSurroundings.withProvider(provider, alongside: [receiver.application()]) { issuer in
            let gatehouse = try await GatehouseProcess.start { port, adminPort, directory in
                GatehouseProcess.yaml(port: port, adminPort: adminPort, directory: directory, issuer: issuer) + """
                telemetry:
                  otlp_endpoint: \(receiver.endpoint.absoluteString)
                  service_name: tracing-test
                routes:
                  - path: /gone/
                    upstream: http://127.0.0.1:\(deadPort)/
                    token: none
                """
            }
            defer { gatehouse.stop() }
            let answer = await RawHTTP.exchange(
                port: gatehouse.port,
                request: "GET /gone/x HTTP/1.1\r\nHost: x\r\nX-CSRF: 1\r\ntraceparent: 00-\(Self.browserTrace)-\(Self.browserSpan)-01\r\nConnection: close\r\n\r\n"
            )
            #expect(answer.hasPrefix("HTTP/1.1 502"))
            // Well inside the exporter's 5 s batch delay: only the shutdown can have sent the span.
            gatehouse.process.terminate()
            #expect(await gatehouse.process.waitForExit(limit: .seconds(20)))
            let spans = try receiver.spans()
            #expect(spans.contains { $0.name == "GET api:/gone/" && $0.traceID == Self.browserTrace && $0.parentSpanID == Self.browserSpan }, "\(spans)")
            let line = try #require(gatehouse.output.split(separator: "\n").first { $0.contains("upstream failed") })
            let fields = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
            #expect(fields["trace_id"] == Self.browserTrace && fields["span_id"]?.count == 16)
        }
    }

    @Test("with telemetry off there is no tracer, and the browser's traceparent reaches the upstream untouched")
    func off() async throws {
        try await GatehouseHarness.run { harness in
            #expect(harness.tracing == nil)
            try await harness.login()
            let traceparent = "00-\(Self.browserTrace)-\(Self.browserSpan)-01"
            let echo = try await harness.browser.get(harness.gatehouse + "/api/echo", headers: [("X-CSRF", "1"), ("traceparent", traceparent)])
            let seen = try #require(try JSONSerialization.jsonObject(with: Data(echo.body.utf8)) as? [String: String])
            #expect(seen["traceparent"] == traceparent)
        }
    }
}

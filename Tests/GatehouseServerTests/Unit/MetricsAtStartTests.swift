import GatehouseServer
import Testing

@Suite("Metrics from start: every series with known labels is exported at zero before the first event")
struct MetricsAtStartTests {
    @Test("each outcome of every counter, the store errors, and the latency histograms of every route label are there at zero")
    func seriesAtZero() async throws {
        try await UnitApplication.run(extraYAML: """
              - path: /live/
                upstream: http://127.0.0.1:1/
                websocket: true
            """) { app in
            let text = app.server.controller.metrics.exposition()
            var expected = [
                #"gatehouse_refreshes_total{result="ok"} 0"#, #"gatehouse_refreshes_total{result="failed"} 0"#,
                #"gatehouse_refreshes_total{result="invalid_grant"} 0"#, #"gatehouse_refreshes_total{result="coalesced"} 0"#,
                #"gatehouse_refreshes_total{result="discarded"} 0"#,
                #"gatehouse_logins_total{result="ok"} 0"#, #"gatehouse_logins_total{result="failed"} 0"#,
                #"gatehouse_client_tokens_total{result="failed"} 0"#, #"gatehouse_token_exchanges_total{result="refused"} 0"#,
                #"gatehouse_authorization_refusals_total{result="step_up"} 0"#, "gatehouse_session_store_errors_total 0",
                #"gatehouse_upstream_duration_seconds_count{route="/api/"} 0"#,
            ]
            for route in ["bff:login", "bff:callback", "bff:user", "bff:sessions/{id}", "static", "api:/api/", "api:/get-only/", "ws:/live/"] {
                expected.append(#"gatehouse_http_request_duration_seconds_count{route="\#(route)"} 0"#)
            }
            for line in expected {
                #expect(text.contains(line), "missing at start: \(line)")
            }
        }
    }
}

import Foundation
@testable import GatehouseServer
import Testing

@Suite("Configuration: telemetry")
struct ConfigurationTelemetryTests {
    @Test("off by default and with an empty endpoint; a collector's base URL gets /v1/traces; the environment sets both keys")
    func given() throws {
        let loader = ConfigurationLoader(environment: [:])
        let unset = try loader.load(yaml: minimalYAML)
        #expect(unset.telemetry == TelemetrySettings() && unset.telemetry.tracesURL == nil && unset.summary.contains("telemetry off"))
        #expect(try loader.load(yaml: minimalYAML + "\ntelemetry:\n  otlp_endpoint: \"\"\n").telemetry.tracesURL == nil)
        let set = try loader.load(yaml: minimalYAML + "\ntelemetry:\n  otlp_endpoint: http://otel-collector:4318\n  service_name: shop-bff\n")
        #expect(set.telemetry.tracesURL == "http://otel-collector:4318/v1/traces" && set.telemetry.serviceName == "shop-bff")
        #expect(set.summary.contains("telemetry traces to http://otel-collector:4318/v1/traces as shop-bff"))
        #expect(try loader.load(yaml: minimalYAML + "\ntelemetry:\n  otlp_endpoint: https://collector.example.com/otlp/\n").telemetry.tracesURL
            == "https://collector.example.com/otlp/v1/traces")
        let fromEnvironment = try ConfigurationLoader(environment: ["GATEHOUSE_TELEMETRY_OTLP_ENDPOINT": "http://127.0.0.1:4318"]).load(yaml: minimalYAML)
        #expect(fromEnvironment.telemetry.tracesURL == "http://127.0.0.1:4318/v1/traces" && fromEnvironment.telemetry.serviceName == "gatehouse")
    }

    @Test("an endpoint that is not a collector URL, or with a password, and an empty service name are refused by key path; a typo gets a suggestion")
    func refused() {
        #expect(problems(minimalYAML + "\ntelemetry:\n  otlp_endpoint: otel-collector:4318\n").map(\.keyPath) == ["telemetry.otlp_endpoint"])
        #expect(problems(minimalYAML + "\ntelemetry:\n  otlp_endpoint: grpc://otel:4317\n").map(\.keyPath) == ["telemetry.otlp_endpoint"])
        let withPassword = problems(minimalYAML + "\ntelemetry:\n  otlp_endpoint: http://user:hunter2@otel:4318\n")
        #expect(withPassword.map(\.keyPath) == ["telemetry.otlp_endpoint"] && !withPassword.description.contains("hunter2"))
        #expect(problems(minimalYAML + "\ntelemetry:\n  otlp_endpoint: http://otel:4318/?token=x\n").map(\.keyPath) == ["telemetry.otlp_endpoint"])
        #expect(problems(minimalYAML + "\ntelemetry:\n  service_name: \"\"\n").map(\.keyPath) == ["telemetry.service_name"])
        let typo = problems(minimalYAML + "\ntelemetry:\n  otlp_endpiont: http://otel:4318\n")
        #expect(typo.map(\.keyPath) == ["telemetry.otlp_endpiont"] && typo.first?.message.contains("otlp_endpoint") == true)
    }
}

package import Foundation

/// OpenTelemetry traces (`telemetry`): off unless `otlp_endpoint` names a collector.
package struct TelemetrySettings: Sendable, Hashable {
    /// The OTLP/HTTP collector's base URL (`telemetry.otlp_endpoint`), such as
    /// `http://otel-collector:4318`; spans go to its `/v1/traces`. `nil`: tracing is off.
    package var otlpEndpoint: URL?
    /// The `service.name` resource attribute (`telemetry.service_name`).
    package var serviceName = Self.defaultServiceName

    /// Default for `telemetry.service_name`.
    package static let defaultServiceName = "gatehouse"

    /// The collector's traces URL: the base with `/v1/traces` after its path (the OTLP/HTTP rule for a base endpoint).
    package var tracesURL: String? {
        otlpEndpoint.map { base in
            let text = base.absoluteString
            return (text.hasSuffix("/") ? String(text.dropLast()) : text) + "/v1/traces"
        }
    }
}

extension TelemetrySettings {
    /// Reads `telemetry`; an empty `otlp_endpoint` leaves tracing off.
    init(_ section: ConfigSection) {
        self.init()
        if let name = section.string("service_name") {
            if name.isEmpty || name.contains(where: { $0.isNewline }) {
                section.report("service_name", "must be a non-empty name on one line, such as \(Self.defaultServiceName)")
            } else {
                serviceName = name
            }
        }
        guard let text = section.string("otlp_endpoint"), !text.isEmpty else { return }
        otlpEndpoint = section.httpURL("otlp_endpoint") { components in
            components.percentEncodedQuery == nil && components.percentEncodedFragment == nil
                ? nil : "must be the collector's base URL such as http://otel-collector:4318, with no query or fragment"
        }?.components.url
    }
}

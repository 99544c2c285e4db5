package import Logging
import OTel
package import ServiceLifecycle

/// swift-otel's tracer with its OTLP/HTTP exporter, made from `telemetry`; `nil` when tracing is off.
///
/// Only traces: metrics stay Prometheus on the admin listener and logs stay on stderr. The
/// tracer is handed to the application rather than bootstrapped process-wide (see
/// ``RequestTracing``). swift-otel applies the standard `OTEL_*` environment variables over
/// these settings (an operator's `OTEL_TRACES_SAMPLER`, `OTEL_EXPORTER_OTLP_HEADERS` for a
/// collector's API key, `OTEL_SDK_DISABLED`), as every OpenTelemetry SDK does.
enum TelemetryBackend {
    static func make(_ settings: TelemetrySettings, logger: Logger) throws(ConfigurationError) -> (tracing: RequestTracing, service: any Service)? {
        guard let tracesURL = settings.tracesURL else { return nil }
        var configuration = OTel.Configuration.default
        configuration.serviceName = settings.serviceName
        configuration.logs.enabled = false
        configuration.metrics.enabled = false
        configuration.traces.enabled = true
        configuration.traces.otlpExporter.endpoint = tracesURL
        configuration.traces.otlpExporter.protocol = .httpProtobuf
        // Only W3C trace context: `baggage` from a browser is data nobody vouched for, and it
        // would ride along to every upstream.
        configuration.propagators = [.traceContext]
        // The exporter's own complaints (collector down) go to Gatehouse's log, not to stdout.
        configuration.diagnosticLogger = .custom(logger)
        configuration.diagnosticLogLevel = .warning
        do {
            let backend = try OTel.makeTracingBackend(configuration: configuration)
            return (RequestTracing(tracer: backend.factory), backend.service)
        } catch {
            throw ConfigurationError(problems: [ConfigProblem(keyPath: "telemetry.otlp_endpoint", message: "the trace exporter could not start (\(String(describing: type(of: error))))")])
        }
    }
}

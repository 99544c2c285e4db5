import HTTPTypes
import NIOHTTP1
package import Tracing

/// Gatehouse's spans, through one tracer handed down from the composition root rather than the
/// process-global `InstrumentationSystem`: several applications in one test process each keep
/// their own, and with tracing off there is no tracer and no span work at all.
///
/// Spans record what PRODUCT.md allows — route labels, statuses, whether a session was there —
/// and never a token, cookie, code, query string or an error's message (only its type).
package struct RequestTracing: Sendable {
    let tracer: any Tracer

    package init(tracer: any Tracer) {
        self.tracer = tracer
    }

    /// Hands the finished spans to the exporter now rather than at its next batch (tests do; a
    /// stopping process flushes by itself).
    package func forceFlush() {
        tracer.forceFlush()
    }

    /// Runs `body` in a span that is the current context's child (the task-local `ServiceContext`),
    /// so spans started inside it nest under it.
    func withSpan<T>(
        _ name: String, context: ServiceContext = .current ?? .topLevel, ofKind kind: SpanKind, _ body: (any Span) async throws -> T
    ) async rethrows -> T {
        let span = tracer.startSpan(name, context: context, ofKind: kind)
        defer { span.end() }
        do {
            return try await ServiceContext.withValue(span.context) { try await body(span) }
        } catch {
            Self.failed(span, error)
            throw error
        }
    }

    /// The span's parent from an incoming `traceparent`, else a new trace.
    func context(from headers: HTTPFields) -> ServiceContext {
        var context = ServiceContext.topLevel
        tracer.extract(headers, into: &context, using: TraceHeaderExtractor())
        return context
    }

    /// `traceparent` for the current span, into an outgoing request's headers.
    func inject(into headers: inout HTTPHeaders) {
        guard let context = ServiceContext.current else { return }
        tracer.inject(context, into: &headers, using: TraceHeaderInjector())
    }

    /// Marks `span` failed by the error's type alone: messages can quote what they failed on.
    /// (Refusals — a 401, a 403, a 404 — never get here: the chain answers them as responses, and
    /// a response below 500 leaves the span's status unset.)
    static func failed(_ span: any Span, _ error: any Error) {
        span.attributes["error.type"] = String(describing: type(of: error))
        span.setStatus(SpanStatus(code: .error))
    }

    /// Marks a span of an HTTP exchange failed for a 5xx answer (the OpenTelemetry HTTP convention).
    static func record(status: Int, on span: any Span) {
        span.attributes["http.response.status_code"] = status
        if status >= 500 { span.setStatus(SpanStatus(code: .error)) }
    }
}

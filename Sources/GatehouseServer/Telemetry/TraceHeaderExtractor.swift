import HTTPTypes
import Tracing

/// Reads `traceparent` from a browser's request. Not `tracestate`: vendor data a browser made
/// up would ride on every span (and to every upstream) of the trace.
struct TraceHeaderExtractor: Extractor {
    func extract(key: String, from carrier: HTTPFields) -> String? {
        guard key == "traceparent" else { return nil }
        return carrier[HTTPField.Name("traceparent")!]
    }
}

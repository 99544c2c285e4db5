import HTTPTypes
import Tracing

/// Reads `traceparent` / `tracestate` from a browser's request.
struct TraceHeaderExtractor: Extractor {
    func extract(key: String, from carrier: HTTPFields) -> String? {
        HTTPField.Name(key).flatMap { carrier[$0] }
    }
}

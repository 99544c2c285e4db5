import NIOHTTP1
import Tracing

/// Writes `traceparent` / `tracestate` into a request Gatehouse sends, replacing any already there.
struct TraceHeaderInjector: Injector {
    func inject(_ value: String, forKey key: String, into carrier: inout HTTPHeaders) {
        carrier.replaceOrAdd(name: key, value: value)
    }
}

/// Body of `POST /_dev/latency`.
struct LatencyKnob: Codable, Sendable {
    var token_ms: Int
}

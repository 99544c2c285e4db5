import Foundation
import GatehouseOAuth
import Tracing

/// The provider's transport with every call a client span (`provider GET|POST <path>`): the
/// token endpoint, PAR, revocation, discovery, JWKS. Only the method, the provider's host and
/// endpoint path, and the status are recorded — never a header (client credentials ride in one)
/// or a body (codes, tokens, assertions).
struct TracedTransport: OAuthTransport {
    let base: any OAuthTransport
    let tracing: RequestTracing

    func get(_ url: URL, timeout: Duration) async throws -> TransportResponse {
        try await exchange("GET", url) { try await base.get(url, timeout: timeout) }
    }

    func post(_ request: FormPostRequest, timeout: Duration) async throws -> TransportResponse {
        try await exchange("POST", request.url) { try await base.post(request, timeout: timeout) }
    }

    private func exchange(_ method: String, _ url: URL, _ body: () async throws -> TransportResponse) async throws -> TransportResponse {
        try await tracing.withSpan("provider \(method) \(url.path)", ofKind: .client) { span in
            span.attributes["http.request.method"] = method
            span.attributes["server.address"] = url.host
            span.attributes["url.path"] = url.path
            let response = try await body()
            RequestTracing.record(status: response.status, on: span)
            return response
        }
    }
}

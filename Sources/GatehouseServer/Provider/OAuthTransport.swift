package import Foundation
package import GatehouseOAuth

/// The seam between protocol logic and the network: discovery, JWKS, token,
/// revocation. Tests and the demo use the real one against the development provider.
package protocol OAuthTransport: Sendable {
    /// `GET url`, for discovery and JWKS.
    func get(_ url: URL, timeout: Duration) async throws -> TransportResponse
    /// A form `POST` built by `TokenRequestBuilder`.
    func post(_ request: FormPostRequest, timeout: Duration) async throws -> TransportResponse
}

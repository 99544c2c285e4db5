package import Foundation

/// When logins push their authorization request to the provider first (`oidc.par`, RFC 9126).
package enum PushedAuthorizationMode: String, Sendable, Hashable, CaseIterable {
    /// Push when discovery names `pushed_authorization_request_endpoint`.
    case auto
    /// Always push; a provider without the endpoint is a configuration error.
    case required
    /// Never push, even where the provider offers it.
    case off

    /// The endpoint to push to for `metadata`, or `nil` to send the request in the browser's URL.
    package func endpoint(for metadata: ProviderMetadata) -> URL? {
        self == .off ? nil : metadata.pushedAuthorizationRequestEndpoint
    }

    /// Why this mode and the provider cannot work together, or `nil` when they can. Said at start,
    /// so a misconfigured pair fails there and not at every user's first login.
    package func mismatch(with metadata: ProviderMetadata) -> String? {
        switch self {
        case .required where metadata.pushedAuthorizationRequestEndpoint == nil:
            "oidc.par is required, but the provider's discovery names no pushed_authorization_request_endpoint; set oidc.par to auto or off, or enable PAR at the provider"
        case .off where metadata.requirePushedAuthorizationRequests:
            "oidc.par is off, but the provider requires pushed authorization requests (require_pushed_authorization_requests); set oidc.par to auto"
        case _ where metadata.requirePushedAuthorizationRequests && metadata.pushedAuthorizationRequestEndpoint == nil:
            "the provider's discovery requires pushed authorization requests but names no pushed_authorization_request_endpoint"
        default:
            nil
        }
    }
}

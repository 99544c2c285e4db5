package import Foundation
package import GatehouseOAuth

/// An access token for one route audience, got by RFC 8693 token exchange of the session's own.
package struct ExchangedToken: Sendable, Hashable, Codable {
    /// The token the route's upstream gets.
    package var accessToken: AccessToken
    /// When it expires (the provider's `expires_in`, or an assumed lifetime when it names none).
    package var expiresAt: Date

    package init(accessToken: AccessToken, expiresAt: Date) {
        self.accessToken = accessToken
        self.expiresAt = expiresAt
    }
}

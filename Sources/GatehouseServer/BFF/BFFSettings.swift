package import Foundation
package import GatehouseOAuth
package import GatehouseSessions

/// What the BFF endpoints need to know, resolved from the configuration once.
package struct BFFSettings: Sendable {
    /// The SPA's external origin, e.g. `https://app.example.com`.
    package var publicURL: URL
    package var clientID: String
    package var clientAuthentication: GatehouseOAuth.ClientAuthentication
    package var scopes: [String]
    package var extraAuthorizationParameters: [String: String]
    package var sessionCookieName: String
    /// `SameSite=Strict` for the session cookie unless `lax` was configured.
    package var sameSiteStrict: Bool
    /// The CSRF header; its value must be exactly `1`.
    package var csrfHeaderName: String
    package var timeouts: SessionTimeouts
    package var refreshBeforeExpiry: Duration
    /// Limit for each call to the provider's token and revocation endpoints.
    package var providerTimeout: Duration
    /// How long a replica's refresh lock lasts unless renewed; it is renewed
    /// every third of this while the token call runs, so a slow provider never
    /// lets a second replica spend the same refresh token.
    package var refreshLockLease: Duration
    /// Peers whose `X-Forwarded-*` headers are believed (`trusted_proxies`).
    package var trustedProxies: [CIDR]
    /// What one client may cost the public listener (`limits`).
    package var limits: ListenerLimits
    /// Live sessions per user; a login beyond it ends the oldest (`session.max_per_user`, 0 = no limit).
    package var maxSessionsPerUser: Int

    package init(
        publicURL: URL,
        clientID: String,
        clientAuthentication: GatehouseOAuth.ClientAuthentication,
        scopes: [String] = OIDCSettings.defaultScopes,
        extraAuthorizationParameters: [String: String] = [:],
        sessionCookieName: String? = nil,
        sameSiteStrict: Bool = true,
        csrfHeaderName: String = CSRFSettings.defaultHeader,
        timeouts: SessionTimeouts = SessionTimeouts(),
        refreshBeforeExpiry: Duration = .seconds(60),
        providerTimeout: Duration = .seconds(10),
        refreshLockLease: Duration = .seconds(5),
        trustedProxies: [CIDR] = [],
        limits: ListenerLimits = ListenerLimits(),
        maxSessionsPerUser: Int = 0
    ) {
        self.publicURL = publicURL
        self.clientID = clientID
        self.clientAuthentication = clientAuthentication
        self.scopes = scopes
        self.extraAuthorizationParameters = extraAuthorizationParameters
        self.sessionCookieName = sessionCookieName ?? SessionSettings.defaultCookieName(isHTTPS: publicURL.scheme?.lowercased() == "https")
        self.sameSiteStrict = sameSiteStrict
        self.csrfHeaderName = csrfHeaderName
        self.timeouts = timeouts
        self.refreshBeforeExpiry = refreshBeforeExpiry
        self.providerTimeout = providerTimeout
        self.refreshLockLease = refreshLockLease
        self.trustedProxies = trustedProxies
        self.limits = limits
        self.maxSessionsPerUser = maxSessionsPerUser
    }

    package var isHTTPS: Bool { publicURL.scheme?.lowercased() == "https" }

    /// `host[:port]` of `public_url`, as browsers send it in `Host`.
    package var publicHost: String {
        guard let host = publicURL.host else { return "" }
        return publicURL.port.map { "\(host):\($0)" } ?? host
    }

    /// `public_url` without a trailing slash.
    package var origin: String {
        var text = publicURL.absoluteString
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }

    /// `public_url` + `/bff/callback`, as registered at the provider.
    package var redirectURI: String { origin + "/bff/callback" }

    /// Where the provider sends the browser after RP-initiated logout.
    package var postLogoutRedirectURI: String { origin + "/" }

    /// The cookie binding a login to this browser: `__Host-` on https (so no
    /// subdomain can plant one), short-lived, SameSite=Lax so it survives the
    /// top-level return from a provider on another site.
    package var loginCookieName: String { isHTTPS ? "__Host-gatehouse-login" : "gatehouse-login" }
}

import Foundation
import GatehouseOAuth
import GatehouseSessions

extension BFFSettings {
    /// Resolves the configuration's OIDC and session sections; reads the
    /// `private_key_jwt` key file, whose problems surface here, at start.
    package init(configuration: GatehouseConfiguration) throws {
        let oidc = configuration.oidc
        let authentication: GatehouseOAuth.ClientAuthentication
        switch oidc.clientAuthentication {
        case .clientSecretBasic:
            authentication = .clientSecretBasic(ClientSecret(oidc.clientSecret?.value ?? ""))
        case .clientSecretPost:
            authentication = .clientSecretPost(ClientSecret(oidc.clientSecret?.value ?? ""))
        case .privateKeyJWT:
            let pem = try String(contentsOfFile: oidc.privateKeyFile ?? "", encoding: .utf8)
            authentication = .privateKeyJWT(try ClientAssertionKey(pem: pem, keyID: oidc.privateKeyID ?? ""))
        }
        let session = configuration.session
        self.init(
            publicURL: configuration.publicURL,
            clientID: oidc.clientID,
            clientAuthentication: authentication,
            scopes: oidc.scopes,
            extraAuthorizationParameters: oidc.extraAuthorizationParameters,
            sessionCookieName: session.cookieName,
            sameSiteStrict: session.sameSite == .strict,
            csrfHeaderName: configuration.csrf.header,
            timeouts: SessionTimeouts(idle: session.idleTimeout, absolute: session.absoluteTimeout),
            refreshBeforeExpiry: session.refreshBeforeExpiry,
            trustedProxies: configuration.trustedProxies,
            limits: configuration.limits,
            maxSessionsPerUser: session.maxPerUser
        )
    }
}

extension ProxyRoute {
    /// A configured route, ready for the proxy.
    package init(_ route: Route) {
        self.init(
            pathPrefix: route.path,
            upstream: route.upstream,
            token: route.token,
            methods: Set(route.methods.map(\.rawValue)),
            stripPrefix: route.stripPrefix,
            timeout: route.timeout,
            websocket: route.websocket
        )
    }
}

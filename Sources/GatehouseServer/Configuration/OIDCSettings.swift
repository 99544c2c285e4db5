package import Foundation
package import GatehouseOAuth

/// The OpenID provider and Gatehouse's client registration there (`oidc`).
package struct OIDCSettings: Sendable, Hashable {
    /// The issuer; discovery is `issuer` + `/.well-known/openid-configuration` (`oidc.issuer`).
    package var issuer: URL
    /// The client id (`oidc.client_id`).
    package var clientID: String
    /// The client secret, from `oidc.client_secret` or `oidc.client_secret_file`; nil for `private_key_jwt`.
    package var clientSecret: ConfigSecret<String>?
    /// How the client authenticates at the token endpoint (`oidc.client_auth`).
    package var clientAuthentication: ClientAuthentication.Method
    /// The PEM private key for `private_key_jwt` (`oidc.private_key_file`); checked to be readable PEM.
    package var privateKeyFile: String?
    /// The `kid` the provider knows that key by (`oidc.private_key_id`).
    package var privateKeyID: String?
    /// Requested scopes (`oidc.scopes`); always includes `openid`.
    package var scopes: [String]
    /// Extra authorization-request parameters such as `audience` or `prompt` (`oidc.extra_auth_params`).
    package var extraAuthorizationParameters: [String: String]
    /// When logins push the authorization request first (`oidc.par`, RFC 9126).
    package var pushedAuthorization: PushedAuthorizationMode
    /// DPoP-bound tokens (`oidc.dpop`, RFC 9449): a key per session, a proof on every call that presents its tokens.
    package var dpop: Bool

    /// Default for `oidc.scopes`.
    package static let defaultScopes = ["openid", "profile", "email", "offline_access"]

    /// Parameters Gatehouse sets itself; `extra_auth_params` may not replace them, or a
    /// config could switch off PKCE or send users elsewhere.
    package static let reservedAuthorizationParameters: Set<String> = [
        "response_type", "client_id", "redirect_uri", "scope", "state", "nonce",
        "code_challenge", "code_challenge_method", "response_mode", "request", "request_uri",
    ]

    /// Creates settings; the defaults are those of PRODUCT.md.
    package init(
        issuer: URL,
        clientID: String,
        clientSecret: ConfigSecret<String>? = nil,
        clientAuthentication: ClientAuthentication.Method = .clientSecretBasic,
        privateKeyFile: String? = nil,
        privateKeyID: String? = nil,
        scopes: [String] = Self.defaultScopes,
        extraAuthorizationParameters: [String: String] = [:],
        pushedAuthorization: PushedAuthorizationMode = .auto,
        dpop: Bool = false
    ) {
        self.issuer = issuer
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.clientAuthentication = clientAuthentication
        self.privateKeyFile = privateKeyFile
        self.privateKeyID = privateKeyID
        self.scopes = scopes
        self.extraAuthorizationParameters = extraAuthorizationParameters
        self.pushedAuthorization = pushedAuthorization
        self.dpop = dpop
    }
}

/// How Gatehouse authenticates itself at the provider's token endpoint (`oidc.client_auth`).
package enum ClientAuthentication: String, Sendable, Hashable, CaseIterable {
    /// HTTP Basic with the client id and secret (RFC 6749 §2.3.1); the default.
    case clientSecretBasic = "client_secret_basic"
    /// Client id and secret in the form body.
    case clientSecretPost = "client_secret_post"
    /// A JWT signed with `oidc.private_key_file` (RFC 7523); no shared secret.
    case privateKeyJWT = "private_key_jwt"

    /// Whether this method sends `oidc.client_secret`.
    package var usesClientSecret: Bool {
        self != .privateKeyJWT
    }
}

/// How Gatehouse authenticates to the token and revocation endpoints.
package enum ClientAuthentication: Sendable {
    /// HTTP Basic with the form-encoded client id and secret (RFC 6749 §2.3.1).
    case clientSecretBasic(ClientSecret)
    /// `client_id` and `client_secret` in the form body.
    case clientSecretPost(ClientSecret)
    /// A signed JWT assertion (RFC 7523 §2.2, OpenID Connect Core §9).
    case privateKeyJWT(ClientAssertionKey)
}

extension ClientAuthentication {
    /// The method's registered name (RFC 7591 `token_endpoint_auth_method`), without the
    /// credential: what a configuration names before the secret or key is loaded.
    package enum Method: String, Sendable, Hashable, CaseIterable {
        /// HTTP Basic with the client id and secret.
        case clientSecretBasic = "client_secret_basic"
        /// Client id and secret in the form body.
        case clientSecretPost = "client_secret_post"
        /// A JWT signed with the client's private key; no shared secret.
        case privateKeyJWT = "private_key_jwt"
    }
}

/// How Gatehouse authenticates to the token and revocation endpoints.
package enum ClientAuthentication: Sendable {
    /// HTTP Basic with the form-encoded client id and secret (RFC 6749 §2.3.1).
    case clientSecretBasic(ClientSecret)
    /// `client_id` and `client_secret` in the form body.
    case clientSecretPost(ClientSecret)
    /// A signed JWT assertion (RFC 7523 §2.2, OpenID Connect Core §9).
    case privateKeyJWT(ClientAssertionKey)
}

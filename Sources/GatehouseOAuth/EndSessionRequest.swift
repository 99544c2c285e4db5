package import Foundation

/// RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0 §2): where to send the browser.
package enum EndSessionRequest {
    /// The end-session URL with `id_token_hint`, `post_logout_redirect_uri` and, optionally, `client_id`.
    ///
    /// The ID token hint is the one place a token is put in a URL; providers need it to skip a
    /// confirmation page, and it only identifies an already-ended session.
    package static func url(
        endpoint: URL,
        idTokenHint: IDToken?,
        postLogoutRedirectURI: String?,
        clientID: String? = nil
    ) -> URL {
        var parameters = [(String, String)]()
        if let idTokenHint { parameters.append(("id_token_hint", idTokenHint.value)) }
        if let postLogoutRedirectURI { parameters.append(("post_logout_redirect_uri", postLogoutRedirectURI)) }
        if let clientID { parameters.append(("client_id", clientID)) }
        return endpoint.appendingFormQuery(parameters)
    }
}

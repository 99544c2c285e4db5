package import Foundation

/// One login attempt: the random values to keep server-side and the URL to send the browser to.
package struct AuthorizationRequest: Sendable {
    /// The `state` parameter (256 random bits, base64url); the key to the stored login state.
    package let state: String
    /// The `nonce` parameter (256 random bits, base64url); must come back in the ID token.
    package let nonce: String
    /// The PKCE verifier; never leaves the server until the token request.
    package let codeVerifier: CodeVerifier
    /// The provider's authorization endpoint with all parameters in the query.
    package let url: URL
    /// Every parameter of the request, in order: what a pushed authorization request posts.
    package let parameters: [(name: String, value: String)]
    private let endpoint: URL
    private let clientID: String

    /// The parameters every authorization request carries; extra parameters cannot replace them.
    package static let coreParameterNames: Set<String> = [
        "response_type", "client_id", "redirect_uri", "scope", "state", "nonce",
        "code_challenge", "code_challenge_method",
    ]

    /// Makes a fresh request with new `state`, `nonce` and verifier.
    ///
    /// - Parameters:
    ///   - endpoint: the provider's `authorization_endpoint` (an existing query is kept).
    ///   - extraParameters: e.g. `prompt`, `audience`; sorted by name, and ignored when they
    ///     name a core parameter, so configuration cannot weaken PKCE or swap the redirect.
    package init(
        endpoint: URL,
        clientID: String,
        redirectURI: String,
        scopes: [String],
        extraParameters: [String: String] = [:],
        random: some RandomSource
    ) {
        self.state = random.base64URLToken(byteCount: 32)
        self.nonce = random.base64URLToken(byteCount: 32)
        self.codeVerifier = CodeVerifier.generate(using: random)
        var parameters: [(String, String)] = [
            ("response_type", "code"),
            ("client_id", clientID),
            ("redirect_uri", redirectURI),
            ("scope", scopes.joined(separator: " ")),
            ("state", self.state),
            ("nonce", self.nonce),
            ("code_challenge", self.codeVerifier.s256Challenge),
            ("code_challenge_method", "S256"),
        ]
        for name in extraParameters.keys.sorted() where !Self.coreParameterNames.contains(name) {
            parameters.append((name, extraParameters[name]!))
        }
        self.parameters = parameters.map { (name: $0.0, value: $0.1) }
        self.url = endpoint.appendingFormQuery(parameters)
        self.endpoint = endpoint
        self.clientID = clientID
    }

    /// The browser's URL once the request was pushed (RFC 9126 §4): only `client_id` and the
    /// `request_uri` the provider gave, so nothing of the request can be read or changed on the way.
    package func pushedURL(requestURI: String) -> URL {
        endpoint.appendingFormQuery([("client_id", clientID), ("request_uri", requestURI)])
    }
}

extension URL {
    /// Appends form-encoded parameters to the query, keeping any query the provider put there.
    func appendingFormQuery(_ parameters: [(String, String)]) -> URL {
        var text = self.absoluteString
        if let hash = text.firstIndex(of: "#") { text = String(text[..<hash]) }
        let query = FormURLEncoding.encode(parameters)
        if query.isEmpty { return URL(string: text) ?? self }
        let separator = text.contains("?") ? (text.hasSuffix("?") || text.hasSuffix("&") ? "" : "&") : "?"
        // The endpoint parsed as a URL and the query is strictly percent-encoded, so this cannot fail.
        return URL(string: text + separator + query)!
    }
}

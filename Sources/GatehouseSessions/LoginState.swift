package import Foundation
package import GatehouseOAuth

/// What `/bff/login` keeps server-side until the callback: stored sealed, taken once.
package struct LoginState: Sendable, Hashable, Codable {
    /// The `state` sent to the provider.
    package var state: String
    /// The `nonce` sent to the provider.
    package var nonce: String
    /// The PKCE verifier.
    package var codeVerifier: CodeVerifier
    /// Where to go after login.
    package var returnURL: String
    /// A hash of the login cookie's value, so a state taken from another browser is refused.
    package var browserBinding: String
    /// When the login started.
    package var createdAt: Date
    /// The `prompt` passed on, when the SPA asked for one (`none`: a silent sign-in).
    package var prompt: Prompt?

    /// Creates login state.
    package init(state: String, nonce: String, codeVerifier: CodeVerifier, returnURL: String, browserBinding: String, createdAt: Date) {
        self.state = state
        self.nonce = nonce
        self.codeVerifier = codeVerifier
        self.returnURL = returnURL
        self.browserBinding = browserBinding
        self.createdAt = createdAt
    }

    /// Login state for an authorization request, bound to the browser holding `loginCookie`.
    package init(request: AuthorizationRequest, returnURL: ReturnURL, loginCookie: String, now: Date, prompt: Prompt? = nil) {
        self.init(
            state: request.state,
            nonce: request.nonce,
            codeVerifier: request.codeVerifier,
            returnURL: returnURL.path,
            browserBinding: SessionKey(hashing: loginCookie).rawValue,
            createdAt: now
        )
        self.prompt = prompt
    }

    /// Whether `loginCookie` is the cookie this state was bound to.
    package func isBound(to loginCookie: String) -> Bool {
        SessionKey(hashing: loginCookie).rawValue == self.browserBinding
    }

    /// The versioned plaintext form (encrypt it before storing: it holds the verifier).
    package func encoded() throws -> [UInt8] {
        try VersionedCoding.encode(self)
    }

    /// Decodes the versioned plaintext form.
    package init(encoded bytes: [UInt8]) throws(SessionEncodingError) {
        self = try VersionedCoding.decode(LoginState.self, from: bytes)
    }
}

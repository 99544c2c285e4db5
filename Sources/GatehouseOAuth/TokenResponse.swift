package import Foundation

/// A successful token-endpoint answer (RFC 6749 §5.1, OpenID Connect Core §3.1.3.3).
package struct TokenResponse: Sendable {
    /// The access token; may be opaque, so it is never decoded.
    package var accessToken: AccessToken
    /// When the access token expires: `now + expires_in`; `nil` when the provider did not say.
    package var accessTokenExpiresAt: Date?
    /// A new refresh token, when issued (rotation replaces the old one).
    package var refreshToken: RefreshToken?
    /// The ID token, when issued; a refresh may return none.
    package var idToken: IDToken?
    /// Granted scopes, when the provider names them.
    package var scopes: [String]?
    /// The token type as sent (`Bearer`).
    package var tokenType: String

    /// Creates a response directly.
    package init(
        accessToken: AccessToken,
        accessTokenExpiresAt: Date?,
        refreshToken: RefreshToken? = nil,
        idToken: IDToken? = nil,
        scopes: [String]? = nil,
        tokenType: String = "Bearer"
    ) {
        self.accessToken = accessToken
        self.accessTokenExpiresAt = accessTokenExpiresAt
        self.refreshToken = refreshToken
        self.idToken = idToken
        self.scopes = scopes
        self.tokenType = tokenType
    }

    /// Parses a token-endpoint answer.
    ///
    /// - Parameters:
    ///   - status: the HTTP status; 2xx is success, anything else must carry an RFC 6749 §5.2 body.
    ///   - body: the response body.
    ///   - now: the time the answer arrived; `expires_in` counts from it.
    /// - Throws: ``TokenEndpointError`` with ``TokenEndpointError/oauthError`` set for §5.2 errors.
    ///   - tokenType: the `token_type` the request asked for: `Bearer`, or `DPoP` when it carried a
    ///     proof (RFC 9449 §5); an answer of another type is refused, so a token the provider did
    ///     not bind is never taken for a bound one, nor the reverse.
    package init(status: Int, body: some Collection<UInt8>, now: Date, tokenType expected: String = "Bearer") throws(TokenEndpointError) {
        let raw: RawResponse
        do {
            raw = try JSONBody.decode(RawResponse.self, from: body)
        } catch {
            // A 5xx HTML page is a provider outage, not a protocol answer.
            if (200..<300).contains(status) || error != .notJSON {
                throw TokenEndpointError(error, status: status)
            }
            throw TokenEndpointError.unexpectedStatus.with(status: status)
        }
        if let error = raw.error {
            throw .oauth(OAuthErrorCode(error), description: raw.error_description, status: status)
        }
        guard (200..<300).contains(status) else {
            throw TokenEndpointError.unexpectedStatus.with(status: status)
        }
        guard let accessToken = raw.access_token, !accessToken.isEmpty else {
            throw TokenEndpointError.invalidField.with(status: status, detail: "access_token")
        }
        let tokenType = raw.token_type ?? "Bearer"
        guard tokenType.lowercased() == expected.lowercased() else {
            throw TokenEndpointError.unsupportedTokenType.with(status: status, detail: String(tokenType.prefix(32)))
        }
        self.init(
            accessToken: AccessToken(accessToken),
            accessTokenExpiresAt: raw.expires_in.map { now.addingTimeInterval(max(0, $0.seconds)) },
            refreshToken: raw.refresh_token.flatMap { $0.isEmpty ? nil : RefreshToken($0) },
            idToken: raw.id_token.flatMap { $0.isEmpty ? nil : IDToken($0) },
            scopes: raw.scope.map { $0.split(separator: " ").map(String.init) },
            tokenType: tokenType
        )
    }

    private struct RawResponse: Decodable {
        var access_token: String?
        var token_type: String?
        var expires_in: Seconds?
        var refresh_token: String?
        var id_token: String?
        var scope: String?
        var error: String?
        var error_description: String?
    }

    // Some providers send `expires_in` as a string; RFC 6749 says number.
    private struct Seconds: Decodable {
        var seconds: Double

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let number = try? container.decode(Double.self) {
                self.seconds = number
            } else if let text = try? container.decode(String.self), let number = Double(text) {
                self.seconds = number
            } else {
                throw DecodingError.typeMismatch(Double.self, .init(codingPath: decoder.codingPath, debugDescription: "expires_in"))
            }
        }
    }
}

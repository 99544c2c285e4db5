package import Foundation

/// The provider's answer to a pushed authorization request (RFC 9126 §2.2, §2.3).
package struct PushedAuthorizationResponse: Sendable, Hashable {
    /// The reference the browser carries to the authorization endpoint instead of the request.
    package var requestURI: String
    /// When the provider forgets the pushed request: `now + expires_in`.
    package var expiresAt: Date

    package init(requestURI: String, expiresAt: Date) {
        self.requestURI = requestURI
        self.expiresAt = expiresAt
    }

    /// Parses the answer: 201 (or any 2xx) with `request_uri` and `expires_in`, else an RFC 6749 §5.2 error.
    ///
    /// - Throws: ``TokenEndpointError``, with ``TokenEndpointError/oauthError`` set when the provider refused.
    package init(status: Int, body: some Collection<UInt8>, now: Date) throws(TokenEndpointError) {
        let raw: RawResponse
        do {
            raw = try JSONBody.decode(RawResponse.self, from: body)
        } catch {
            if (200..<300).contains(status) || error != .notJSON { throw TokenEndpointError(error, status: status) }
            throw TokenEndpointError.unexpectedStatus.with(status: status)
        }
        if let error = raw.error {
            throw .oauth(OAuthErrorCode(error), description: raw.error_description, status: status)
        }
        guard (200..<300).contains(status) else { throw TokenEndpointError.unexpectedStatus.with(status: status) }
        // RFC 9126 §2.2: a URI, so at least a scheme; the provider's reference is opaque otherwise.
        guard let requestURI = raw.request_uri, !requestURI.isEmpty, requestURI.contains(":") else {
            throw TokenEndpointError.invalidField.with(status: status, detail: "request_uri")
        }
        guard let expiresIn = raw.expires_in, expiresIn > 0 else {
            throw TokenEndpointError.invalidField.with(status: status, detail: "expires_in")
        }
        self.init(requestURI: requestURI, expiresAt: now.addingTimeInterval(expiresIn))
    }

    private struct RawResponse: Decodable {
        var request_uri: String?
        var expires_in: Double?
        var error: String?
        var error_description: String?
    }
}

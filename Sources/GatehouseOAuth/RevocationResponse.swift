/// The outcome of an RFC 7009 revocation request.
package enum RevocationResponse {
    /// Checks a revocation answer: 200 is success (also for unknown tokens, RFC 7009 §2.2).
    ///
    /// - Throws: ``TokenEndpointError`` when the provider refused or failed.
    package static func check(status: Int, body: some Collection<UInt8>) throws(TokenEndpointError) {
        if (200..<300).contains(status) { return }
        if let raw = try? JSONBody.decode(RawError.self, from: body) {
            throw .oauth(OAuthErrorCode(raw.error), description: raw.error_description, status: status)
        }
        throw TokenEndpointError.unexpectedStatus.with(status: status)
    }

    private struct RawError: Decodable {
        var error: String
        var error_description: String?
    }
}

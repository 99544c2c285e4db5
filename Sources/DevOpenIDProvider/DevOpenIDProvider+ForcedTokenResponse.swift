extension DevOpenIDProvider {
    /// An answer the token endpoint gives instead of processing the next request.
    package enum ForcedTokenResponse: String, Sendable, Hashable, Codable, CaseIterable {
        /// 400 `{"error":"invalid_grant"}`.
        case invalidGrant = "invalid_grant"
        /// 401 `{"error":"invalid_client"}`.
        case invalidClient = "invalid_client"
        /// 500 with a JSON `server_error` body.
        case serverError = "server_error"
        /// 200 with an HTML page, as a misconfigured proxy in front of a provider would answer.
        case html
    }
}

import Foundation

/// A pushed authorization request (RFC 9126) waiting for the browser to bring its `request_uri`.
struct PushedRequest: Sendable {
    var clientID: String
    /// The request's parameters as posted; the only ones `/authorize` uses for it (RFC 9126 §4).
    var parameters: FormParameters
    /// Where a late browser is sent back with `invalid_request_uri`.
    var redirectURI: String
    var state: String?
    var expiresAt: Date
}

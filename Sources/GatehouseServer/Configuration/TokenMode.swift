/// Which access token a route forwards upstream (`routes[].token`).
package enum TokenMode: String, Sendable, Hashable, CaseIterable {
    /// The user's token; no session means 401. The default.
    case user
    /// A client-credentials token of Gatehouse itself.
    case client
    /// The user's token when there is a session, else the client's.
    case userOrClient = "user_or_client"
    /// The user's token when there is a session, else none.
    case optional
    /// No token.
    case none
}

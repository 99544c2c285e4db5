/// What a rewriting touch of a session did (``SessionStore/touch(_:subject:sid:ttl:replacing:with:)``).
package enum SessionTouch: Sendable, Hashable {
    /// No such session: it ended or expired.
    case gone
    /// Its TTL was slid, but the record had changed since it was read, so it was not rewritten.
    case touched
    /// Its TTL was slid and the record replaced.
    case rewritten
}

/// The `SameSite` attribute of the session cookie (`session.same_site`).
package enum SameSitePolicy: String, Sendable, Hashable, CaseIterable {
    /// `SameSite=Strict`, the default: no cross-site request carries the session.
    case strict
    /// `SameSite=Lax`: top-level cross-site navigations carry the session.
    case lax
}

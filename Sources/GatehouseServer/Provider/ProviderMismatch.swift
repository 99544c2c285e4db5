/// The provider's discovery and Gatehouse's configuration cannot work together (`oidc.par: required`
/// without a PAR endpoint, …). Found when discovery first loads, it stops `serve` with this message:
/// every login would fail otherwise.
package struct ProviderMismatch: Error, Hashable, Sendable, CustomStringConvertible {
    /// What does not fit and how to fix it; names keys and discovery fields, never a secret.
    package let reason: String

    package init(_ reason: String) { self.reason = reason }

    package var description: String { "the identity provider does not fit the configuration: \(reason)" }
}

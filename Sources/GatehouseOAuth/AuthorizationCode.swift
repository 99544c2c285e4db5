/// An authorization code from the provider's redirect; single use, exchanged for tokens.
package struct AuthorizationCode: RedactedSecret {
    /// The secret value; send or store it, never log it.
    package let value: String

    /// Wraps a secret value.
    package init(_ value: String) {
        self.value = value
    }
}

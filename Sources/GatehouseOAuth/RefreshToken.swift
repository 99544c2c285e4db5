/// An OAuth refresh token.
package struct RefreshToken: RedactedSecret {
    /// The secret value; send or store it, never log it.
    package let value: String

    /// Wraps a secret value.
    package init(_ value: String) {
        self.value = value
    }
}

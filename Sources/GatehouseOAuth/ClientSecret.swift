/// The client secret shared with the OpenID provider.
package struct ClientSecret: RedactedSecret {
    /// The secret value; send or store it, never log it.
    package let value: String

    /// Wraps a secret value.
    package init(_ value: String) {
        self.value = value
    }
}

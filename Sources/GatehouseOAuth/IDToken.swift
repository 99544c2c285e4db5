/// A raw OpenID Connect ID token (a compact JWS), as received; validate it with `IDTokenValidator` before trusting it.
package struct IDToken: RedactedSecret {
    /// The secret value; send or store it, never log it.
    package let value: String

    /// Wraps a secret value.
    package init(_ value: String) {
        self.value = value
    }
}

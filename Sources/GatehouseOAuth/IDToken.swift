/// A raw OpenID Connect ID token (a compact JWS), as received; validate it with `IDTokenValidator` before trusting it.
public struct IDToken: RedactedSecret {
    /// The secret value; send or store it, never log it.
    public let value: String

    /// Wraps a secret value.
    public init(_ value: String) {
        self.value = value
    }
}

/// An authorization code from the provider's redirect; single use, exchanged for tokens.
public struct AuthorizationCode: RedactedSecret {
    /// The secret value; send or store it, never log it.
    public let value: String

    /// Wraps a secret value.
    public init(_ value: String) {
        self.value = value
    }
}

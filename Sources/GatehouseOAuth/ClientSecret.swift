/// The client secret shared with the OpenID provider.
public struct ClientSecret: RedactedSecret {
    /// The secret value; send or store it, never log it.
    public let value: String

    /// Wraps a secret value.
    public init(_ value: String) {
        self.value = value
    }
}

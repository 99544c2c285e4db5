/// An OAuth access token; possibly opaque, so it is never decoded.
public struct AccessToken: RedactedSecret {
    /// The secret value; send or store it, never log it.
    public let value: String

    /// Wraps a secret value.
    public init(_ value: String) {
        self.value = value
    }
}

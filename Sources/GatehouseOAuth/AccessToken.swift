/// An OAuth access token; possibly opaque, so it is never decoded.
public struct AccessToken: RedactedSecret {
    /// The secret value; send or store it, never log it.
    public let value: String

    /// Wraps a secret value.
    public init(_ value: String) {
        self.value = value
    }

    /// Decodes the secret from a single JSON string (it is stored only inside encrypted records).
    public init(from decoder: any Decoder) throws {
        self.value = try decoder.singleValueContainer().decode(String.self)
    }

    /// Encodes the secret as a single JSON string (for encrypted storage only).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.value)
    }
}

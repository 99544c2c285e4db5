/// A string that must never reach a log, an error message or a debugger dump.
///
/// Conforming types print as `<redacted>` and hide their value from `Mirror`, so string
/// interpolation, `dump` and `print` cannot leak them by accident. Read ``value`` only where the
/// secret is actually sent or stored.
package protocol RedactedSecret: Codable, Hashable, Sendable, CustomStringConvertible,
    CustomDebugStringConvertible, CustomReflectable
{
    /// The secret itself.
    var value: String { get }
    /// Wraps a secret value.
    init(_ value: String)
}

extension RedactedSecret {
    /// Always `<redacted>`.
    package var description: String { "<redacted>" }
    /// Always `<redacted>`.
    package var debugDescription: String { "<redacted>" }
    /// An empty mirror, so `dump` shows nothing.
    package var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }

    /// Decodes the secret from a single JSON string (it is stored only inside encrypted records).
    package init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode(String.self))
    }

    /// Encodes the secret as a single JSON string (for encrypted storage only).
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.value)
    }
}

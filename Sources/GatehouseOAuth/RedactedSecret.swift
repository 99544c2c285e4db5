/// A string that must never reach a log, an error message or a debugger dump.
///
/// Conforming types print as `<redacted>` and hide their value from `Mirror`, so string
/// interpolation, `dump` and `print` cannot leak them by accident. Read ``value`` only where the
/// secret is actually sent or stored.
public protocol RedactedSecret: Codable, Hashable, Sendable, CustomStringConvertible,
    CustomDebugStringConvertible, CustomReflectable
{
    /// The secret itself.
    var value: String { get }
    /// Wraps a secret value.
    init(_ value: String)
}

extension RedactedSecret {
    /// Always `<redacted>`.
    public var description: String { "<redacted>" }
    /// Always `<redacted>`.
    public var debugDescription: String { "<redacted>" }
    /// An empty mirror, so `dump` shows nothing.
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}

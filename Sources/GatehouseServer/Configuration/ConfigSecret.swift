/// A secret from the configuration (client secret, encryption key, Redis password).
///
/// Its `description`, `debugDescription` and mirror never show the value, so a secret
/// survives being interpolated into a log line, printed with the whole configuration,
/// or `dump`ed in a test failure. Read it on purpose through ``value``.
package struct ConfigSecret<Value: Sendable & Hashable>: Sendable, Hashable {
    /// The secret itself; use it only where it is sent or used as a key.
    package let value: Value

    /// Wraps a secret value.
    package init(_ value: Value) {
        self.value = value
    }
}

extension ConfigSecret: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// Always `<redacted>`.
    package var description: String { "<redacted>" }

    /// Always `<redacted>`.
    package var debugDescription: String { "<redacted>" }

    /// A mirror without children, so `dump` and reflection-based printing show no value.
    package var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}

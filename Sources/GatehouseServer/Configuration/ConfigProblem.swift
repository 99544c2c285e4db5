/// One thing wrong with the configuration, named by the key it concerns.
///
/// Messages never contain a secret value: they say what is wrong with a client secret,
/// key or Redis URL without repeating it.
public struct ConfigProblem: Sendable, Hashable, CustomStringConvertible {
    /// The dotted key path, as in the YAML file: `oidc.client_secret`, `routes[0].upstream`.
    /// Empty for problems with the file as a whole (unreadable, not YAML).
    public var keyPath: String

    /// What is wrong, for a person to read.
    public var message: String

    /// Creates a problem.
    public init(keyPath: String, message: String) {
        self.keyPath = keyPath
        self.message = message
    }

    /// `key.path: message`, or only the message when the problem has no key.
    public var description: String {
        keyPath.isEmpty ? message : "\(keyPath): \(message)"
    }
}

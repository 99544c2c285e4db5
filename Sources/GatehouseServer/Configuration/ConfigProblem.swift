/// One thing wrong with the configuration, named by the key it concerns.
///
/// Messages never contain a secret value: they say what is wrong with a client secret,
/// key or Redis URL without repeating it.
package struct ConfigProblem: Sendable, Hashable, CustomStringConvertible {
    /// The dotted key path, as in the YAML file: `oidc.client_secret`, `routes[0].upstream`.
    /// Empty for problems with the file as a whole (unreadable, not YAML).
    package var keyPath: String

    /// What is wrong, for a person to read.
    package var message: String

    /// Creates a problem.
    package init(keyPath: String, message: String) {
        self.keyPath = keyPath
        self.message = message
    }

    /// `key.path: message`, or only the message when the problem has no key.
    package var description: String {
        keyPath.isEmpty ? message : "\(keyPath): \(message)"
    }
}

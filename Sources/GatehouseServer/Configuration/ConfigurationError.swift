/// The configuration could not be loaded; ``problems`` lists everything that is wrong,
/// not only the first thing found.
public struct ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Every problem found, in the order of the keys in the contract.
    public var problems: [ConfigProblem]

    /// Creates an error from the problems found.
    public init(problems: [ConfigProblem]) {
        self.problems = problems
    }

    /// One line per problem, `key.path: message`; never a secret value.
    public var description: String {
        problems.map(\.description).joined(separator: "\n")
    }
}

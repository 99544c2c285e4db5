/// The configuration could not be loaded; ``problems`` lists everything that is wrong,
/// not only the first thing found.
package struct ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Every problem found, in the order of the keys in the contract.
    package var problems: [ConfigProblem]

    /// Creates an error from the problems found.
    package init(problems: [ConfigProblem]) {
        self.problems = problems
    }

    /// One line per problem, `key.path: message`; never a secret value.
    package var description: String {
        problems.map(\.description).joined(separator: "\n")
    }
}

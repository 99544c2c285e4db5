import ArgumentParser

struct CheckConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Not built yet (issue 4)."
    )

    func run() async throws {
        throw ValidationError("'check-config' is not built yet")
    }
}

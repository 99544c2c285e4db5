import ArgumentParser

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Not built yet (issue 4)."
    )

    func run() async throws {
        throw ValidationError("'demo' is not built yet")
    }
}

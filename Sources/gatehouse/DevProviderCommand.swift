import ArgumentParser

struct DevProviderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev-provider",
        abstract: "Runs only the built-in development OpenID provider. Never for production."
    )

    func run() async throws {
        throw ValidationError("'dev-provider' is not built yet")
    }
}

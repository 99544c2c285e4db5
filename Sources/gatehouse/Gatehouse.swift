import ArgumentParser

/// The `gatehouse` command: wiring only; the product lives in the library targets.
@main
struct Gatehouse: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gatehouse",
        abstract: "A backend-for-frontend proxy: OAuth 2.0 code + PKCE for your SPA, tokens kept server-side.",
        subcommands: [
            ServeCommand.self,
            DemoCommand.self,
            DevProviderCommand.self,
            CheckConfigCommand.self,
            KeygenCommand.self,
        ]
    )
}

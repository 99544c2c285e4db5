import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The `gatehouse` command: wiring only; the product lives in the library targets.
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

    /// Like ArgumentParser's `main()`, except that unknown flags and bad values
    /// give one line on stderr and exit status 2, as the contract says.
    static func runFromCommandLine() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            guard code == .validationFailure else { exit(withError: error) }
            let message = self.message(for: error).split(separator: "\n").first.map(String.init) ?? "invalid arguments"
            FileHandle.standardError.write("gatehouse: \(message) (see 'gatehouse --help')\n")
            Foundation.exit(2)
        }
    }
}

extension FileHandle {
    fileprivate func write(_ text: String) {
        write(Data(text.utf8))
    }
}

import ArgumentParser
import GatehouseServer

/// `gatehouse serve [--config FILE]`: runs the proxy.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Runs the proxy. Config: --config, else $GATEHOUSE_CONFIG, else ./gatehouse.yaml."
    )

    @Option(name: .long, help: "The YAML configuration file.")
    var config: String?

    func run() async throws {
        let configuration: GatehouseConfiguration
        do {
            configuration = try ConfigLoading.load(argument: config)
        } catch {
            throw ExitCode(1)
        }
        let logger = LogSetup.bootstrap(configuration.log)
        logger.info("gatehouse starting", metadata: [
            "gatehouse.listen": "\(configuration.listen)", "gatehouse.admin_listen": "\(configuration.adminListen)",
            "gatehouse.store": "\(configuration.session.store)", "gatehouse.issuer": "\(configuration.oidc.issuer)",
        ])
        try await GatehouseRuntime.run(configuration: configuration, logger: logger)
    }
}

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
        let (logger, level) = LogSetup.bootstrap(configuration.log)
        let loader = ConfigurationLoader()
        let path = loader.filePath(argument: config)
        logger.info("gatehouse starting", metadata: [
            "gatehouse.listen": "\(configuration.listen)", "gatehouse.admin_listen": "\(configuration.adminListen)",
            "gatehouse.store": "\(configuration.session.store)", "gatehouse.issuer": "\(configuration.oidc.issuer)",
            "gatehouse.executor": "\(GlobalExecutor.placement)",
        ])
        if GlobalExecutor.placement != "event-loops" {
            logger.warning("Swift concurrency runs on its own thread pool, not the event loops: every await hops threads (slower under load)")
        }
        // SIGHUP reads the same file, with the environment as it was at start.
        try await GatehouseRuntime.run(
            configuration: configuration, logger: logger, logLevel: level,
            reload: { () throws(ConfigurationError) in try loader.load(fileAt: path) }
        )
    }
}

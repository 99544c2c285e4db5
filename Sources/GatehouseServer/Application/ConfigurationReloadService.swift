import ServiceLifecycle
import UnixSignals

/// Reloads the configuration on each `SIGHUP`, until the service group shuts down.
package struct ConfigurationReloadService: Service {
    let reloader: ConfigurationReloader

    package init(reloader: ConfigurationReloader) {
        self.reloader = reloader
    }

    package func run() async throws {
        for await _ in await UnixSignalsSequence(trapping: .sighup).cancelOnGracefulShutdown() {
            reloader.reload()
        }
    }
}

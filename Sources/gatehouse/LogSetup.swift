import Foundation
import GatehouseServer
import Logging

/// Bootstraps swift-log from `log.level` and `log.format`. The level stays changeable (a reload
/// sets it through the returned control); the format is fixed until a restart.
enum LogSetup {
    static func bootstrap(_ settings: LogSettings) -> (logger: Logger, level: LogLevelControl) {
        let control = LogLevelControl(settings.level)
        LoggingSystem.bootstrap { label in
            control.handler(wrapping: settings.format == .json ? JSONLogHandler(label: label) : StreamLogHandler.standardError(label: label))
        }
        return (Logger(label: "gatehouse"), control)
    }
}

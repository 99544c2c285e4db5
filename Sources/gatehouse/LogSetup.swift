import Foundation
import GatehouseServer
import Logging

/// Bootstraps swift-log from `log.level` and `log.format`.
enum LogSetup {
    static func bootstrap(_ settings: LogSettings) -> Logger {
        let level = settings.level
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler = settings.format == .json ? JSONLogHandler(label: label) : StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        return Logger(label: "gatehouse")
    }
}


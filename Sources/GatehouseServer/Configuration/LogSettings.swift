package import Logging

/// Logging (`log`).
package struct LogSettings: Sendable, Hashable {
    /// The lowest level logged (`log.level`): trace, debug, info, warning or error.
    package var level = Logger.Level.info
    /// Line format (`log.format`).
    package var format = LogFormat.json
}

extension LogSettings {
    /// Reads `log`; keys not given keep their defaults.
    init(_ section: ConfigSection) {
        self.init()
        // swift-log's levels but `notice` and `critical`, which PRODUCT.md does not offer.
        level = section.choice("level", among: [.trace, .debug, .info, .warning, .error]) ?? level
        format = section.choice("format") ?? format
    }
}

/// How log lines are written (`log.format`).
package enum LogFormat: String, Sendable, Hashable, CaseIterable {
    /// One JSON object per line, for log collectors; the default.
    case json
    /// Human-readable lines, for a terminal.
    case text
}

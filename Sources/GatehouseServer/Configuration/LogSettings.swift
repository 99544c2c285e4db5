/// Logging (`log`).
package struct LogSettings: Sendable, Hashable {
    /// The lowest level logged (`log.level`), default info.
    package var level: LogLevel
    /// Line format (`log.format`), default json.
    package var format: LogFormat

    /// Creates settings; defaults are those of PRODUCT.md.
    package init(level: LogLevel = .info, format: LogFormat = .json) {
        self.level = level
        self.format = format
    }
}

/// Logging (`log`).
public struct LogSettings: Sendable, Hashable {
    /// The lowest level logged (`log.level`), default info.
    public var level: LogLevel
    /// Line format (`log.format`), default json.
    public var format: LogFormat

    /// Creates settings; defaults are those of PRODUCT.md.
    public init(level: LogLevel = .info, format: LogFormat = .json) {
        self.level = level
        self.format = format
    }
}

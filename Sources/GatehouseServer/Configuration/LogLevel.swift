/// The lowest level written to the log (`log.level`).
public enum LogLevel: String, Sendable, Hashable, CaseIterable {
    case trace
    case debug
    case info
    case warning
    case error
}

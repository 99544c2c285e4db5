/// The lowest level written to the log (`log.level`).
package enum LogLevel: String, Sendable, Hashable, CaseIterable {
    case trace
    case debug
    case info
    case warning
    case error
}

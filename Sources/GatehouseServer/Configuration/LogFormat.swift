/// How log lines are written (`log.format`).
package enum LogFormat: String, Sendable, Hashable, CaseIterable {
    /// One JSON object per line, for log collectors; the default.
    case json
    /// Human-readable lines, for a terminal.
    case text
}

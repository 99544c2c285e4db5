package import Logging
import Synchronization

/// The process's log level (`log.level`), changed by a configuration reload. Every handler made by
/// ``handler(wrapping:)`` reads it on each log call, with one atomic load.
package final class LogLevelControl: Sendable {
    private let index: Atomic<Int>

    package init(_ level: Logger.Level) {
        self.index = Atomic(Self.index(of: level))
    }

    package var level: Logger.Level {
        get { Logger.Level.allCases[index.load(ordering: .relaxed)] }
        set { index.store(Self.index(of: newValue), ordering: .relaxed) }
    }

    /// `base` with its level taken from this control, unless code sets one on the logger itself.
    package func handler(wrapping base: any LogHandler) -> any LogHandler {
        ControlledLogHandler(base: base, control: self)
    }

    private static func index(of level: Logger.Level) -> Int {
        Logger.Level.allCases.firstIndex(of: level) ?? 0
    }
}

private struct ControlledLogHandler: LogHandler {
    var base: any LogHandler
    let control: LogLevelControl
    /// Set by code on one logger: wins over the configured level for that logger only.
    var ownLevel: Logger.Level?

    init(base: any LogHandler, control: LogLevelControl) {
        self.base = base
        self.control = control
    }

    var logLevel: Logger.Level {
        get { ownLevel ?? control.level }
        set { ownLevel = newValue }
    }

    var metadata: Logger.Metadata {
        get { base.metadata }
        set { base.metadata = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { base[metadataKey: key] }
        set { base[metadataKey: key] = newValue }
    }

    var metadataProvider: Logger.MetadataProvider? {
        get { base.metadataProvider }
        set { base.metadataProvider = newValue }
    }

    func log(event: LogEvent) {
        base.log(event: event)
    }
}

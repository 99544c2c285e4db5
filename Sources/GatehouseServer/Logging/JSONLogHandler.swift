package import Logging
import Foundation

/// One JSON object per line on stderr, for log pipelines. Keys sorted, the time in ISO 8601 with
/// milliseconds; the trace of a request, once there is one, goes in its metadata.
package struct JSONLogHandler: LogHandler {
    package let label: String
    package var logLevel: Logger.Level = .info
    package var metadata: Logger.Metadata = [:]
    /// With tracing on, the current span's `trace_id` and `span_id`.
    package var metadataProvider: Logger.MetadataProvider?

    package init(label: String) {
        self.label = label
    }

    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    // A value type, safe to share: no formatter object built per line.
    private static let timeFormat = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    package func log(event: Logging.LogEvent) {
        var object: [String: String] = [
            "ts": Date().formatted(Self.timeFormat),
            "level": event.level.rawValue,
            "logger": label,
            "msg": event.message.description,
        ]
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided, uniquingKeysWith: { $1 }) }
        for (key, value) in merged.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) {
            object[key] = value.description
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(object) else { return }
        FileHandle.standardError.write(data + Data([0x0A]))
    }
}

extension LogSettings {
    /// Decodes `log`, reporting every problem; nil when any was found.
    static func decode(_ node: ConfigNode?, using decoder: inout ConfigDecoder) -> Self? {
        let section = decoder.section(node, at: "log")
        let level = section["level"].isAbsent ? .info : decoder.choice(LogLevel.self, section["level"], at: "log.level")
        let format =
            section["format"].isAbsent ? .json : decoder.choice(LogFormat.self, section["format"], at: "log.format")
        guard let level, let format else { return nil }
        return LogSettings(level: level, format: format)
    }
}

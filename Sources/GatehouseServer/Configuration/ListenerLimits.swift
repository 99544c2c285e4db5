/// What one client may cost the public listener (`limits`): a slow or idle client is closed,
/// an oversized request head is refused, and the number of open connections is capped.
package struct ListenerLimits: Sendable, Hashable {
    /// The whole request head must arrive within this (`limits.header_read_timeout`), default 10 s.
    package var headerReadTimeout: Duration
    /// An idle keep-alive connection is closed after this (`limits.keep_alive_timeout`), default 75 s.
    package var keepAliveTimeout: Duration
    /// For bodies Gatehouse reads itself, such as back-channel logout (`limits.body_read_timeout`), default 30 s.
    package var bodyReadTimeout: Duration
    /// Open connections per replica (`limits.max_connections`); beyond it new ones wait in the accept queue. Default 10,000.
    package var maxConnections: Int
    /// More request headers than this is 431 (`limits.max_header_count`), default 100.
    package var maxHeaderCount: Int

    package static let defaultHeaderReadTimeout = Duration.seconds(10)
    package static let defaultKeepAliveTimeout = Duration.seconds(75)
    package static let defaultBodyReadTimeout = Duration.seconds(30)
    package static let defaultMaxConnections = 10_000
    package static let defaultMaxHeaderCount = 100

    /// Creates limits; defaults are those of PRODUCT.md.
    package init(
        headerReadTimeout: Duration = Self.defaultHeaderReadTimeout,
        keepAliveTimeout: Duration = Self.defaultKeepAliveTimeout,
        bodyReadTimeout: Duration = Self.defaultBodyReadTimeout,
        maxConnections: Int = Self.defaultMaxConnections,
        maxHeaderCount: Int = Self.defaultMaxHeaderCount
    ) {
        self.headerReadTimeout = headerReadTimeout
        self.keepAliveTimeout = keepAliveTimeout
        self.bodyReadTimeout = bodyReadTimeout
        self.maxConnections = maxConnections
        self.maxHeaderCount = maxHeaderCount
    }
}

extension ListenerLimits {
    /// Decodes `limits`, reporting every problem; nil when any was found.
    static func decode(_ node: ConfigNode?, using decoder: inout ConfigDecoder) -> Self? {
        let section = decoder.section(node, at: "limits")
        func key(_ name: String) -> String { ConfigDecoder.keyPath("limits", name) }
        func duration(_ name: String, _ fallback: Duration) -> Duration? {
            section[name].isAbsent ? fallback : decoder.duration(section[name], at: key(name))
        }
        func count(_ name: String, _ fallback: Int) -> Int? {
            section[name].isAbsent ? fallback : decoder.positiveInteger(section[name], at: key(name))
        }
        let headerRead = duration("header_read_timeout", defaultHeaderReadTimeout)
        let keepAlive = duration("keep_alive_timeout", defaultKeepAliveTimeout)
        let bodyRead = duration("body_read_timeout", defaultBodyReadTimeout)
        let connections = count("max_connections", defaultMaxConnections)
        let headers = count("max_header_count", defaultMaxHeaderCount)
        guard let headerRead, let keepAlive, let bodyRead, let connections, let headers else { return nil }
        return ListenerLimits(
            headerReadTimeout: headerRead, keepAliveTimeout: keepAlive, bodyReadTimeout: bodyRead,
            maxConnections: connections, maxHeaderCount: headers
        )
    }
}

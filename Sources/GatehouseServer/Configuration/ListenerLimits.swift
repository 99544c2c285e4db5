/// What one client may cost the public listener (`limits`): a slow or idle client is closed,
/// an oversized request head is refused, and the number of open connections is capped.
package struct ListenerLimits: Sendable, Hashable {
    /// The whole request head must arrive within this (`limits.header_read_timeout`).
    package var headerReadTimeout: Duration
    /// An idle keep-alive connection is closed after this (`limits.keep_alive_timeout`).
    package var keepAliveTimeout: Duration
    /// For bodies Gatehouse reads itself, such as back-channel logout (`limits.body_read_timeout`).
    package var bodyReadTimeout: Duration
    /// Open connections per replica (`limits.max_connections`); beyond it new ones wait in the accept queue.
    package var maxConnections: Int
    /// More request headers than this is 431 (`limits.max_header_count`).
    package var maxHeaderCount: Int

    /// Creates limits; the defaults are those of PRODUCT.md.
    package init(
        headerReadTimeout: Duration = .seconds(10),
        keepAliveTimeout: Duration = .seconds(75),
        bodyReadTimeout: Duration = .seconds(30),
        maxConnections: Int = 10_000,
        maxHeaderCount: Int = 100
    ) {
        self.headerReadTimeout = headerReadTimeout
        self.keepAliveTimeout = keepAliveTimeout
        self.bodyReadTimeout = bodyReadTimeout
        self.maxConnections = maxConnections
        self.maxHeaderCount = maxHeaderCount
    }

    /// Reads `limits`; keys not given keep their defaults.
    init(_ section: ConfigSection) {
        self.init()
        headerReadTimeout = section.duration("header_read_timeout") ?? headerReadTimeout
        keepAliveTimeout = section.duration("keep_alive_timeout") ?? keepAliveTimeout
        bodyReadTimeout = section.duration("body_read_timeout") ?? bodyReadTimeout
        maxConnections = section.integer("max_connections", atLeast: 1) ?? maxConnections
        maxHeaderCount = section.integer("max_header_count", atLeast: 1) ?? maxHeaderCount
    }
}

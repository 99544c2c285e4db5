/// What one client may cost the public listener (`limits`): a slow or idle client is closed,
/// an oversized request head is refused, and the number of open connections is capped.
package struct ListenerLimits: Sendable, Hashable {
    /// The whole request head must arrive within this (`limits.header_read_timeout`).
    package var headerReadTimeout = Duration.seconds(10)
    /// An idle keep-alive connection is closed after this (`limits.keep_alive_timeout`).
    package var keepAliveTimeout = Duration.seconds(75)
    /// For bodies Gatehouse reads itself, such as back-channel logout (`limits.body_read_timeout`).
    package var bodyReadTimeout = Duration.seconds(30)
    /// Open connections per replica (`limits.max_connections`); beyond it new ones wait in the accept queue.
    package var maxConnections = 10_000
    /// More request headers than this is 431 (`limits.max_header_count`).
    package var maxHeaderCount = 100
}

extension ListenerLimits {
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

public import Hummingbird
public import NIOCore

/// Per-request state: Hummingbird's core context plus the peer address, which
/// the proxy needs for `X-Forwarded-For`.
public struct GatehouseRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The TCP peer (a load balancer when one is in front).
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
    }
}

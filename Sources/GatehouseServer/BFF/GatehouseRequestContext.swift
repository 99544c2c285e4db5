package import Hummingbird
package import NIOCore

/// Per-request state: Hummingbird's core context plus the peer address, which
/// the proxy needs for `X-Forwarded-For`.
package struct GatehouseRequestContext: RequestContext {
    package var coreContext: CoreRequestContextStorage
    /// The TCP peer (a load balancer when one is in front).
    package let remoteAddress: SocketAddress?
    /// The route table this request is served under, read once by the first middleware (a reload
    /// in the middle of a request does not change it); `nil` before that.
    package var routes: RouteTable?

    package init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
    }
}

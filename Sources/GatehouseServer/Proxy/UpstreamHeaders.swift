import HTTPTypes
import NIOCore
import NIOHTTP1
import GatehouseOAuth

/// The header policy of the proxy, resolved once from the configuration and shared by
/// HTTP forwarding and WebSocket upgrades: what the upstream gets, what the
/// browser gets back.
struct UpstreamHeaders: Sendable {
    private let ownCookies: Set<String>
    private let csrfHeader: String
    private let trustedProxies: [CIDR]
    private let publicProto: String
    private let publicHost: String

    init(configuration: GatehouseConfiguration) {
        self.ownCookies = [configuration.session.cookieName, configuration.loginCookieName]
        self.csrfHeader = configuration.csrf.header
        self.trustedProxies = configuration.trustedProxies
        self.publicProto = configuration.isHTTPS ? "https" : "http"
        self.publicHost = configuration.publicHost
    }

    /// The browser's headers after hygiene (less any of `dropping`, lower-case names), the
    /// bearer, and `X-Forwarded-*` as `trusted_proxies` allows.
    /// With a DPoP `proof` the token goes as `Authorization: DPoP` beside it (RFC 9449 §7.1).
    func request(_ incoming: HTTPFields, peer: SocketAddress?, bearer: AccessToken?, proof: String? = nil, dropping: Set<String> = []) -> HTTPHeaders {
        var headers = ProxyHeaders.upstreamRequest(incoming, ownCookies: ownCookies, csrfHeader: csrfHeader)
        if !dropping.isEmpty { headers.removeAll { dropping.contains($0.0.lowercased()) } }
        if let bearer, let proof {
            headers.append(("Authorization", "DPoP \(bearer.value)"))
            headers.append(("DPoP", proof))
        } else if let bearer {
            headers.append(("Authorization", "Bearer \(bearer.value)"))
        }
        let forwarded = ForwardedHeaders.make(
            peer: peer.flatMap(IPAddress.init), incoming: incoming, trusted: trustedProxies,
            publicProto: publicProto, publicHost: publicHost
        )
        headers.append(("X-Forwarded-For", forwarded.forwardedFor))
        headers.append(("X-Forwarded-Proto", forwarded.proto))
        headers.append(("X-Forwarded-Host", forwarded.host))
        // In one piece: `HTTPHeaders.add` checks each name for ASCII, and these names are
        // HTTPFields' validated tokens or Gatehouse's own.
        return HTTPHeaders(headers)
    }

    /// The upstream's answer headers the browser may see.
    func response(_ headers: HTTPHeaders) -> HTTPFields {
        ProxyHeaders.downstreamResponse(headers, ownCookies: ownCookies)
    }
}

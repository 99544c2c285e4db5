@testable import GatehouseServer
import HTTPTypes
import NIOCore
import Testing

@Suite("X-Forwarded-* from trusted proxies only")
struct ForwardedHeadersTests {
    let balancer = IPAddress("10.0.0.5")!
    let trusted = [CIDR("10.0.0.0/8")!, CIDR("2001:db8::/32")!]

    func make(peer: IPAddress?, _ fields: HTTPFields) -> ForwardedHeaders {
        ForwardedHeaders.make(peer: peer, incoming: fields, trusted: trusted, publicProto: "https", publicHost: "app.example.com")
    }

    @Test("an untrusted peer's claims are replaced by what Gatehouse saw")
    func untrusted() {
        let spoofed: HTTPFields = [ForwardedHeaders.xForwardedFor: "1.1.1.1", ForwardedHeaders.xForwardedProto: "http", ForwardedHeaders.xForwardedHost: "evil.example"]
        #expect(make(peer: IPAddress("192.0.2.9")!, spoofed) == ForwardedHeaders(forwardedFor: "192.0.2.9", proto: "https", host: "app.example.com"))
    }

    @Test("a trusted peer's chain is kept, in order, with the peer appended; its proto and host pass")
    func trustedChain() {
        var fields: HTTPFields = [ForwardedHeaders.xForwardedProto: "HTTP", ForwardedHeaders.xForwardedHost: "api.example.com:8443"]
        fields.append(HTTPField(name: ForwardedHeaders.xForwardedFor, value: "203.0.113.7, 198.51.100.2"))
        fields.append(HTTPField(name: ForwardedHeaders.xForwardedFor, value: "2001:db8::1"))
        #expect(make(peer: balancer, fields) == ForwardedHeaders(forwardedFor: "203.0.113.7, 198.51.100.2, 2001:db8::1, 10.0.0.5", proto: "http", host: "api.example.com:8443"))
    }

    @Test("from a trusted peer, entries that are not addresses and unusable proto/host values are dropped")
    func trustedGarbage() {
        let fields: HTTPFields = [
            ForwardedHeaders.xForwardedFor: "unknown, 203.0.113.7:443, <script>, 203.0.113.8",
            ForwardedHeaders.xForwardedProto: "gopher", ForwardedHeaders.xForwardedHost: "a.example\r\nX: y",
        ]
        #expect(make(peer: balancer, fields) == ForwardedHeaders(forwardedFor: "203.0.113.8, 10.0.0.5", proto: "https", host: "app.example.com"))
    }

    @Test("an IPv4-mapped IPv6 peer matches an IPv4 block; no peer address gives `unknown`")
    func mappedAndMissing() {
        #expect(make(peer: IPAddress("::ffff:10.1.2.3")!, [ForwardedHeaders.xForwardedFor: "203.0.113.7"]).forwardedFor.hasPrefix("203.0.113.7, "))
        #expect(make(peer: nil, [ForwardedHeaders.xForwardedFor: "203.0.113.7"]).forwardedFor == "unknown")
    }

    @Test("the client address for the sessions list: the peer, or through trusted proxies the nearest untrusted hop; a spoofed chain from an untrusted peer is ignored")
    func clientAddress() {
        var chain = HTTPFields()
        chain.append(HTTPField(name: ForwardedHeaders.xForwardedFor, value: "6.6.6.6, 203.0.113.7, 10.0.0.9"))
        #expect(ForwardedHeaders.clientAddress(peer: balancer, incoming: chain, trusted: trusted) == IPAddress("203.0.113.7"), "the client claims 6.6.6.6 itself; the proxies saw 203.0.113.7")
        #expect(ForwardedHeaders.clientAddress(peer: IPAddress("192.0.2.9")!, incoming: chain, trusted: trusted) == IPAddress("192.0.2.9"))
        #expect(ForwardedHeaders.clientAddress(peer: balancer, incoming: [:], trusted: trusted) == balancer)
        let garbage: HTTPFields = [ForwardedHeaders.xForwardedFor: "not-an-address"]
        #expect(ForwardedHeaders.clientAddress(peer: balancer, incoming: garbage, trusted: trusted) == balancer)
    }

    @Test("the peer's address is read from its socket address as the text parser reads it, IPv4, IPv6 and v4-mapped")
    func peerFromSocketAddress() throws {
        for text in ["10.1.2.3", "127.0.0.1", "2001:db8::7", "::1", "::ffff:10.0.0.5"] {
            let socket = try SocketAddress(ipAddress: text, port: 4711)
            #expect(IPAddress(socket) == IPAddress(text), "\(text)")
            #expect(IPAddress(socket)?.description == IPAddress(text)?.description)
        }
        #expect(IPAddress(try SocketAddress(unixDomainSocketPath: "/tmp/gatehouse.sock")) == nil)
    }
}

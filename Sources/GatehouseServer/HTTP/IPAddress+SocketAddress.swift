import NIOCore

extension IPAddress {
    /// The address of a connection's peer, from its socket address bytes: no text round trip
    /// (`inet_ntop` then `inet_pton`) on every proxied request. `nil` for a Unix socket.
    init?(_ address: SocketAddress) {
        switch address {
        case .v4(let v4):
            self.init(bytes: withUnsafeBytes(of: v4.address.sin_addr) { Array($0) })
        case .v6(let v6):
            self.init(bytes: withUnsafeBytes(of: v6.address.sin6_addr) { Array($0) })
        case .unixDomainSocket:
            return nil
        }
    }
}

import HTTPTypes

/// `X-Forwarded-For`, `-Proto` and `-Host` for the upstream request.
///
/// Only a peer inside `trusted_proxies` (a load balancer in front of Gatehouse)
/// may speak for the client: its chain is kept and the peer appended, and its
/// proto and host pass. Anyone else's values are replaced by what Gatehouse
/// saw itself, so a browser cannot claim another address.
struct ForwardedHeaders: Equatable {
    var forwardedFor: String
    var proto: String
    var host: String

    static func make(peer: IPAddress?, incoming: HTTPFields, trusted: [CIDR], publicProto: String, publicHost: String) -> ForwardedHeaders {
        let peerText = peer?.description ?? "unknown"
        guard let peer, trusted.contains(where: { $0.contains(peer) }) else {
            return ForwardedHeaders(forwardedFor: peerText, proto: publicProto, host: publicHost)
        }
        // Entries that are not addresses (garbage, `unknown`, ports) are dropped rather than passed on.
        let chain = incoming[values: xForwardedFor]
            .flatMap { $0.split(separator: ",") }
            .compactMap { IPAddress(String($0.trimmingBlanks))?.description }
        let proto = incoming[xForwardedProto].map { $0.lowercased() }.flatMap { ["http", "https"].contains($0) ? $0 : nil }
        let host = incoming[xForwardedHost].flatMap { isPlausibleHost($0) ? $0 : nil }
        return ForwardedHeaders(
            forwardedFor: (chain + [peerText]).joined(separator: ", "),
            proto: proto ?? publicProto,
            host: host ?? publicHost
        )
    }

    /// The client's address: the peer, or — when the peer is a trusted proxy — the nearest address
    /// in its `X-Forwarded-For` chain that is not itself a trusted proxy (entries left of that one
    /// are the client's own claims, and anyone can make those).
    static func clientAddress(peer: IPAddress?, incoming: HTTPFields, trusted: [CIDR]) -> IPAddress? {
        guard let peer, trusted.contains(where: { $0.contains(peer) }) else { return peer }
        let chain = incoming[values: xForwardedFor].flatMap { $0.split(separator: ",") }
        var nearest = peer
        for entry in chain.reversed() {
            guard let address = IPAddress(String(entry.trimmingBlanks)) else { break }
            nearest = address
            if !trusted.contains(where: { $0.contains(address) }) { break }
        }
        return nearest
    }

    static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
    static let xForwardedProto = HTTPField.Name("X-Forwarded-Proto")!
    static let xForwardedHost = HTTPField.Name("X-Forwarded-Host")!

    /// A host name or address with an optional port: nothing that could split a header.
    private static func isPlausibleHost(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 255 && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-.:[]".contains($0)) }
    }
}

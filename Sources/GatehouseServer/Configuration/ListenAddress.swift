/// Where a listener binds: `0.0.0.0:8080`, `[::]:8080`, `localhost:9091` (`listen`, `admin_listen`).
package struct ListenAddress: Sendable, Hashable, CustomStringConvertible {
    /// An IP address literal (IPv6 without brackets) or a host name.
    package var host: String
    /// The TCP port; 0 asks the system for a free one, which tests use.
    package var port: Int

    /// Creates an address from its parts.
    package init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `host:port`; IPv6 literals are bracketed, as in URLs (`[::1]:8080`).
    package init?(_ text: String) {
        let hostPart: Substring
        let portPart: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
                return nil
            }
            hostPart = text[text.index(after: text.startIndex)..<close]
            portPart = text[text.index(close, offsetBy: 2)...]
            guard let address = IPAddress(String(hostPart)), !address.isIPv4 else { return nil }
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            hostPart = text[..<colon]
            portPart = text[text.index(after: colon)...]
            // An unbracketed IPv6 literal has more colons and is ambiguous with its port.
            guard !hostPart.contains(":"), Self.isHostName(hostPart) || IPAddress(String(hostPart)) != nil else {
                return nil
            }
        }
        guard !portPart.isEmpty, portPart.count <= 5, portPart.allSatisfy(\.isASCIIDigit),
            let port = Int(portPart), port <= 65535
        else { return nil }
        self.init(host: String(hostPart), port: port)
    }

    /// `host:port`, with IPv6 literals bracketed.
    package var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// RFC 1123 labels: letters, digits, hyphens, not at a label's ends.
    static func isHostName(_ name: Substring) -> Bool {
        guard !name.isEmpty, name.utf8.count <= 253 else { return false }
        // `999.1.1.1` is a mistyped address, not a host name.
        if name.allSatisfy({ $0.isASCIIDigit || $0 == "." }) { return IPAddress(String(name)) != nil }
        return name.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            !label.isEmpty && label.count <= 63 && label.first != "-" && label.last != "-"
                && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        }
    }
}

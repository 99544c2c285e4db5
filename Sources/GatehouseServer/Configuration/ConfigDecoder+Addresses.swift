import Foundation

extension ConfigDecoder {
    /// `host:port`; nil when absent or bad (reported).
    mutating func listenAddress(_ node: ConfigNode?, at keyPath: String) -> ListenAddress? {
        guard let text = string(node, at: keyPath) else { return nil }
        guard let address = ListenAddress(text) else {
            report(
                keyPath,
                "expected host:port such as 0.0.0.0:8080, [::]:8080 or localhost:8080, found \"\(text)\"",
                node: node
            )
            return nil
        }
        return address
    }

    /// `public_url`: an http or https origin, nothing after it but an optional `/`.
    /// Returned without a trailing slash so `public_url + /bff/callback` has one slash.
    mutating func publicURL(_ node: ConfigNode?, at keyPath: String) -> URL? {
        guard let text = requiredString(node, at: keyPath) else { return nil }
        guard let components = httpComponents(text, at: keyPath, node: node) else { return nil }
        guard components.percentEncodedPath.isEmpty || components.percentEncodedPath == "/",
            components.percentEncodedQuery == nil, components.percentEncodedFragment == nil
        else {
            report(keyPath, "must be an origin such as https://app.example.com, with no path, query or fragment", node: node)
            return nil
        }
        var origin = components
        origin.scheme = components.scheme?.lowercased()
        origin.percentEncodedHost = components.percentEncodedHost?.lowercased()
        origin.percentEncodedPath = ""
        return origin.url
    }

    /// `oidc.issuer`: https, or http for a loopback host during development. Kept as
    /// written, because ID tokens' `iss` must equal it character for character.
    mutating func issuerURL(_ node: ConfigNode?, at keyPath: String) -> URL? {
        guard let text = requiredString(node, at: keyPath) else { return nil }
        guard let components = httpComponents(text, at: keyPath, node: node) else { return nil }
        guard components.percentEncodedQuery == nil, components.percentEncodedFragment == nil else {
            report(keyPath, "must not have a query or fragment", node: node)
            return nil
        }
        if components.scheme?.lowercased() == "http" && !Self.isLoopback(host: components.host ?? "") {
            report(keyPath, "must be https (http is allowed only for localhost, for development)", node: node)
            return nil
        }
        return URL(string: text)
    }

    /// `routes[].upstream`: an absolute http or https URL.
    mutating func upstreamURL(_ node: ConfigNode?, at keyPath: String) -> URL? {
        guard let text = requiredString(node, at: keyPath) else { return nil }
        guard let components = httpComponents(text, at: keyPath, node: node) else { return nil }
        guard components.percentEncodedQuery == nil, components.percentEncodedFragment == nil else {
            report(keyPath, "must not have a query or fragment", node: node)
            return nil
        }
        return URL(string: text)
    }

    /// Parses an absolute http(s) URL with a host and no user info; the message names
    /// the first thing wrong. User info is refused because URLs end up in logs.
    private mutating func httpComponents(_ text: String, at keyPath: String, node: ConfigNode?) -> URLComponents? {
        // Text with `@` may carry a password, so it is not echoed.
        let shown = text.contains("@") ? "" : ", found \"\(text)\""
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            report(keyPath, "expected an absolute http or https URL\(shown)", node: node)
            return nil
        }
        guard scheme == "http" || scheme == "https" else {
            report(keyPath, "scheme must be http or https, not \(scheme)", node: node)
            return nil
        }
        guard let host = components.host, !host.isEmpty else {
            report(keyPath, "expected an absolute http or https URL with a host\(shown)", node: node)
            return nil
        }
        guard components.percentEncodedUser == nil, components.percentEncodedPassword == nil else {
            // Not echoed: the user info may be a credential.
            report(keyPath, "must not contain a user name or password", node: node)
            return nil
        }
        return components
    }

    static func isLoopback(host: String) -> Bool {
        var host = host.lowercased()
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return host == "localhost" || host.hasSuffix(".localhost") || (IPAddress(host)?.isLoopback ?? false)
    }

    /// `trusted_proxies`: CIDRs or bare addresses.
    mutating func cidrList(_ node: ConfigNode?, at keyPath: String) -> [CIDR]? {
        guard let texts = stringList(node, at: keyPath) else { return nil }
        var blocks: [CIDR] = []
        for (index, text) in texts.enumerated() {
            guard let block = CIDR(text.trimmingCharacters(in: .whitespaces)) else {
                report(
                    "\(keyPath)[\(index)]",
                    "expected a CIDR such as 10.0.0.0/8 or 2001:db8::/32, found \"\(text)\"",
                    node: node
                )
                continue
            }
            blocks.append(block)
        }
        return blocks
    }
}

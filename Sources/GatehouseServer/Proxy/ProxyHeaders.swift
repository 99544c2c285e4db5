package import HTTPTypes

/// Header hygiene for the proxy, both ways: hop-by-hop headers go, Gatehouse's
/// cookies never reach the upstream, a browser-sent `Authorization` is never
/// forwarded, and an upstream cannot overwrite Gatehouse's cookies.
enum ProxyHeaders {
    static let hopByHop: Set<String> = [
        "connection", "keep-alive", "te", "trailer", "transfer-encoding", "upgrade",
        "proxy-connection", "proxy-authenticate", "proxy-authorization", "host", "content-length",
    ]
    /// Set by Gatehouse itself; a browser's values are never passed on (`dpop`: a browser's own
    /// proof must not ride along with, or stand in for, the session's).
    static let replaced: Set<String> = ["authorization", "dpop", "forwarded", "cookie"]
    /// Headers that upstreams, frameworks or their proxies read to pick the client address, the
    /// path or the method (Spring's and IIS's URL rewrites, method overrides that would bypass
    /// `methods:`). A browser may never send them through; every `X-Forwarded-*` goes too.
    static let steering: Set<String> = [
        "x-real-ip", "true-client-ip", "x-client-ip", "x-cluster-client-ip", "cf-connecting-ip", "fastly-client-ip",
        "x-original-url", "x-rewrite-url", "x-original-uri",
        "x-http-method-override", "x-http-method", "x-method-override",
    ]

    /// Every name `upstreamRequest` drops outright, for one hash lookup per header instead of three.
    private static let dropped = hopByHop.union(replaced).union(steering)

    /// Headers for the upstream request. Runs on every proxied request: one pass,
    /// no per-header allocation beyond the copy itself.
    static func upstreamRequest(_ fields: HTTPFields, ownCookies: Set<String>, csrfHeader: String) -> [(String, String)] {
        let named = fields[.connection] == nil ? [] : connectionNamed(fields[values: .connection])
        let csrf = csrfHeader.lowercased()
        var out: [(String, String)] = []
        out.reserveCapacity(fields.count + 6) // room for the bearer and X-Forwarded-*, which the caller appends
        var cookies = ""
        for field in fields {
            let name = field.name.canonicalName
            if name == "cookie" {
                keepForeignCookies(of: field.value, ownCookies: ownCookies, into: &cookies)
                continue
            }
            if dropped.contains(name) || name.hasPrefix("x-forwarded-") || name == csrf || (!named.isEmpty && named.contains(name)) { continue }
            out.append((field.name.rawName, field.value))
        }
        if !cookies.isEmpty { out.append(("Cookie", cookies)) }
        return out
    }

    /// Appends the `name=value` pairs of a `Cookie` header whose name is not one of Gatehouse's
    /// to `kept`, trimmed, joined by `; `.
    static func keepForeignCookies(of value: String, ownCookies: Set<String>, into kept: inout String) {
        var value = value
        value.withUTF8 { bytes in
            _ = CookieHeader.forEachPair(in: bytes) { pair, nameEnd in
                let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[pair.lowerBound..<nameEnd]), as: UTF8.self)
                guard !ownCookies.contains(name) else { return true }
                if !kept.isEmpty { kept += "; " }
                kept += String(decoding: UnsafeBufferPointer(rebasing: bytes[pair]), as: UTF8.self)
                return true
            }
        }
    }

    /// Headers of the upstream response to pass to the browser.
    static func downstreamResponse(_ headers: some Sequence<(name: String, value: String)>, ownCookies: Set<String>) -> HTTPFields {
        let named = connectionNamed(headers.lazy.filter { $0.name.equalsIgnoringASCIICase("connection") }.map(\.value))
        var kept: [HTTPField] = []
        kept.reserveCapacity(headers.underestimatedCount)
        for (name, value) in headers {
            guard let fieldName = HTTPField.Name(name) else { continue }
            let lower = fieldName.canonicalName
            if hopByHop.contains(lower) || (!named.isEmpty && named.contains(lower)) { continue }
            if lower == "set-cookie" {
                let cookieName = value.split(separator: "=", maxSplits: 1).first.map { String($0.trimmingBlanks) } ?? ""
                if ownCookies.contains(cookieName) { continue }
            }
            kept.append(HTTPField(name: fieldName, value: value))
        }
        // One bulk insert: HTTPFields appends one by one through its generic replaceSubrange.
        var out = HTTPFields()
        out.append(contentsOf: kept)
        return out
    }

    /// Headers that a message's `Connection` values name as hop-by-hop, less those dropped anyway:
    /// `Connection: keep-alive`, nearly every upstream answer's, then leaves the set empty, and an
    /// empty set costs no lookup per header. Byte-wise: the separators are ASCII.
    private static func connectionNamed(_ values: some Sequence<String>) -> Set<String> {
        var named: Set<String> = []
        for value in values where !value.equalsIgnoringASCIICase("keep-alive") {
            for token in value.utf8.split(separator: UInt8(ascii: ",")) {
                let token = String(decoding: token, as: UTF8.self).trimmingBlanks.lowercased()
                if !token.isEmpty && !hopByHop.contains(token) { named.insert(token) }
            }
        }
        return named
    }
}

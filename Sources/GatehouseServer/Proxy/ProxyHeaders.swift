import Foundation
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

    /// Headers for the upstream request. Runs on every proxied request: one pass,
    /// no per-header allocation beyond the copy itself.
    static func upstreamRequest(_ fields: HTTPFields, ownCookies: Set<String>, csrfHeader: String) -> [(String, String)] {
        let named = fields[.connection] == nil ? [] : connectionNamed(fields)
        let csrf = csrfHeader.lowercased()
        var out: [(String, String)] = []
        out.reserveCapacity(fields.count)
        var cookies: [Substring] = []
        for field in fields {
            let name = field.name.canonicalName
            if name == "cookie" {
                for pair in field.value.split(separator: ";") {
                    var trimmed = pair.drop { $0 == " " || $0 == "\t" }
                    while let last = trimmed.last, last == " " || last == "\t" { trimmed = trimmed.dropLast() }
                    let cookieName = trimmed.prefix { $0 != "=" }
                    if !ownCookies.contains(String(cookieName)) { cookies.append(trimmed) }
                }
                continue
            }
            if hopByHop.contains(name) || replaced.contains(name) || steering.contains(name) || name.hasPrefix("x-forwarded-") || name == csrf
                || (!named.isEmpty && named.contains(name))
            { continue }
            out.append((field.name.rawName, field.value))
        }
        if !cookies.isEmpty { out.append(("Cookie", cookies.joined(separator: "; "))) }
        return out
    }

    /// Headers of the upstream response to pass to the browser.
    static func downstreamResponse(_ headers: some Sequence<(name: String, value: String)>, ownCookies: Set<String>) -> HTTPFields {
        var out = HTTPFields()
        var named: Set<String> = []
        for (name, value) in headers where name.utf8.count == 10 && name.lowercased() == "connection" {
            for token in value.split(separator: ",") { named.insert(token.trimmingCharacters(in: .whitespaces).lowercased()) }
        }
        for (name, value) in headers {
            guard let fieldName = HTTPField.Name(name) else { continue }
            let lower = fieldName.canonicalName
            if hopByHop.contains(lower) || (!named.isEmpty && named.contains(lower)) { continue }
            if lower == "set-cookie" {
                let cookieName = value.split(separator: "=", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
                if ownCookies.contains(cookieName) { continue }
            }
            out.append(HTTPField(name: fieldName, value: value))
        }
        return out
    }

    /// Headers that `Connection` names as hop-by-hop for this message.
    private static func connectionNamed(_ fields: HTTPFields) -> Set<String> {
        Set(fields[values: .connection].flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces).lowercased() })
    }
}

extension CSRFSettings {
    /// Header names the CSRF defence cannot use. The defence works because a cross-site
    /// page cannot send a custom header without a CORS preflight, so CORS-safelisted
    /// headers would defeat it; headers scripts may not set (Fetch "forbidden" names)
    /// could never be sent by the SPA; `Authorization` is replaced by the proxy.
    static let unusableHeaders: Set<String> = [
        "accept", "accept-language", "content-language", "content-type", "range",
        "accept-charset", "accept-encoding", "access-control-request-headers", "access-control-request-method",
        "connection", "content-length", "cookie", "cookie2", "date", "dnt", "expect", "host", "keep-alive",
        "origin", "referer", "te", "trailer", "transfer-encoding", "upgrade", "via", "authorization",
    ]

    /// Decodes `csrf`, reporting every problem; nil when any was found.
    static func decode(_ node: ConfigNode?, using decoder: inout ConfigDecoder) -> Self? {
        let keyPath = "csrf.header"
        let section = decoder.section(node, at: "csrf")
        guard !section["header"].isAbsent else { return CSRFSettings() }
        guard let header = decoder.requiredString(section["header"], at: keyPath) else { return nil }
        guard header.allSatisfy(\.isHTTPTokenCharacter) else {
            decoder.report(keyPath, "\"\(header)\" is not a header name (letters, digits and -_. only)", node: section["header"])
            return nil
        }
        let lowercased = header.lowercased()
        guard !unusableHeaders.contains(lowercased), !lowercased.hasPrefix("sec-"), !lowercased.hasPrefix("proxy-")
        else {
            decoder.report(
                keyPath,
                "\(header) cannot carry the CSRF check; use a custom name such as X-CSRF",
                node: section["header"]
            )
            return nil
        }
        return CSRFSettings(header: header)
    }
}

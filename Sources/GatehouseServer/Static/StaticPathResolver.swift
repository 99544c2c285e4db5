/// Turns a raw request path into a ``StaticPathResolution``: a pure function of the path string.
///
/// The path is percent-decoded exactly once. Anything that could change meaning between the
/// decoded string and the file system is rejected rather than normalised, so there is a single
/// place where "which file?" is answered and it never has to guess:
/// - an encoded `/` or `\` (`%2f`, `%5c`), a raw backslash, NUL or any control character;
/// - a decoded `%` (`%25…`): it can only come from double encoding, which an SPA never needs;
/// - `.` and `..` segments, and empty segments other than a trailing slash (`//etc/passwd`);
/// - bytes that are not UTF-8 after decoding.
///
/// Dot-files are ``StaticPathResolution/hidden``. A miss falls back to `index.html` (SPA routing)
/// unless the last segment ends in an extension we serve as an asset (`/app.js` → 404, while
/// `/settings/profile` and `/users/jane.doe` → `index.html`): a missing script or stylesheet then
/// fails loudly instead of being parsed as HTML, and ordinary route names may still contain dots.
package struct StaticPathResolver: Sendable {
    /// The BFF's own endpoints; never served from the folder whatever the configuration says.
    package static let bffPathPrefix = "/bff/"

    /// Prefixes (string prefix match, like the proxy's routes) that the middleware never answers.
    package let excludedPathPrefixes: [String]

    /// Creates a resolver.
    /// - Parameter excludingPathPrefixes: API route prefixes such as `/api/`; `/bff/` is always added.
    package init(excludingPathPrefixes: [String] = []) {
        var prefixes = [Self.bffPathPrefix]
        for prefix in excludingPathPrefixes where !prefix.isEmpty {
            let rooted = prefix.first == "/" ? prefix : "/" + prefix
            if !prefixes.contains(rooted) { prefixes.append(rooted) }
        }
        self.excludedPathPrefixes = prefixes
    }

    /// Classifies the raw (still percent-encoded) path of a request URI.
    package func resolve(_ rawPath: String) -> StaticPathResolution {
        guard rawPath.utf8.first == UInt8(ascii: "/"), let decoded = Self.decodeOnce(rawPath) else {
            return .rejected
        }
        // `//bff/user` is how a router that merges slashes would read `/bff/user`: never the
        // SPA's, always 404 (PRODUCT.md "Hostile input"), like every other spelling of an excluded path.
        if self.isExcluded(Self.mergingSlashes(decoded)) { return .excluded }
        let segments = decoded.utf8.dropFirst().split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        for (index, segment) in segments.enumerated() {
            if segment.isEmpty, index != segments.count - 1 { return .rejected }
            if segment.elementsEqual(".".utf8) || segment.elementsEqual("..".utf8) { return .rejected }
        }
        if self.isExcluded(decoded) { return .excluded }
        if segments.contains(where: { $0.first == UInt8(ascii: ".") }) { return .hidden }

        let relativePath = String(decoded.dropFirst())
        let lastSegment = relativePath.split(separator: "/").last.map(String.init) ?? ""
        let fallsBack = relativePath.hasSuffix("/") || relativePath.isEmpty
            || StaticContentTypes.contentType(forFileNamed: lastSegment) == nil
        return .lookup(relativePath: relativePath, fallsBackToIndex: fallsBack)
    }

    private func isExcluded(_ path: String) -> Bool {
        self.excludedPathPrefixes.contains { prefix in
            path.hasPrefix(prefix) || (prefix.hasSuffix("/") && path + "/" == prefix)
        }
    }

    private static func mergingSlashes(_ path: String) -> String {
        guard path.contains("//") else { return path }
        var merged = ""
        for character in path where !(character == "/" && merged.last == "/") { merged.append(character) }
        return merged
    }

    /// Decodes `%XX` once; nil for malformed escapes or any byte that must never reach the file system.
    static func decodeOnce(_ raw: String) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(raw.utf8.count)
        var iterator = raw.utf8.makeIterator()
        while let byte = iterator.next() {
            var decodedByte = byte
            if byte == UInt8(ascii: "%") {
                guard let high = iterator.next().flatMap(RequestTarget.hexValue), let low = iterator.next().flatMap(RequestTarget.hexValue) else {
                    return nil
                }
                decodedByte = high << 4 | low
                // Encoded separators and a second layer of encoding are how traversal hides.
                if decodedByte == UInt8(ascii: "/") || decodedByte == UInt8(ascii: "%") { return nil }
            }
            if decodedByte == UInt8(ascii: "\\") || decodedByte < 0x20 || decodedByte == 0x7F { return nil }
            bytes.append(decodedByte)
        }
        return String(validating: bytes, as: UTF8.self)
    }
}

/// The `Cache-Control` values the static middleware sends, by kind of file.
package struct StaticCachePolicy: Sendable, Equatable {
    /// For HTML, including the `index.html` fallback: always revalidate, so a deploy shows at once.
    package var document: String
    /// For file names carrying a content hash: their URL changes whenever their bytes do.
    package var fingerprinted: String
    /// For other assets: a short lifetime, then revalidation with the `ETag`.
    package var other: String

    /// Creates a policy; the defaults suit an SPA whose build fingerprints its assets.
    package init(
        document: String = "no-cache",
        fingerprinted: String = "public, max-age=31536000, immutable",
        other: String = "public, max-age=300"
    ) {
        self.document = document
        self.fingerprinted = fingerprinted
        self.other = other
    }

    /// The `Cache-Control` value for the file the client asked for by `name` (the URL's last segment).
    package func cacheControl(forFileNamed name: String) -> String {
        switch StaticContentTypes.fileExtension(of: name) ?? "" {
        case "html", "htm": self.document
        default: Self.isFingerprinted(name) ? self.fingerprinted : self.other
        }
    }

    /// Whether a file name carries a content hash, as bundlers write them.
    ///
    /// Two shapes count, judged on the name without its extension:
    /// - a last `.`- or `-`-separated part of 8 to 64 hex digits (`app.3f9a2c1e.js`, webpack's `[contenthash]`);
    /// - a `-` followed by exactly 8 base64url characters mixing upper case, lower case and digits
    ///   (`index-Bk9xQ2aZ.js`, Vite/Rollup and esbuild).
    ///
    /// A miss only costs a revalidation; a false positive pins a file for a year, so both rules are strict.
    package static func isFingerprinted(_ name: String) -> Bool {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return false }
        let stem = Array(name[..<dot].utf8)
        return hasHexSuffix(stem) || hasBase64URLSuffix(stem)
    }

    private static func hasHexSuffix(_ stem: [UInt8]) -> Bool {
        guard let separator = stem.lastIndex(where: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }),
            separator > 0
        else { return false }
        let token = stem[(separator + 1)...]
        return (8...64).contains(token.count) && token.allSatisfy(isHexDigit)
    }

    private static func hasBase64URLSuffix(_ stem: [UInt8]) -> Bool {
        guard stem.count > 9, stem[stem.count - 9] == UInt8(ascii: "-") else { return false }
        let token = stem.suffix(8)
        return token.allSatisfy(isBase64URL)
            && token.contains(where: isUpper) && token.contains(where: isLower) && token.contains(where: isDigit)
    }

    private static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
    private static func isUpper(_ byte: UInt8) -> Bool { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) }
    private static func isLower(_ byte: UInt8) -> Bool { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) }
    private static func isHexDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
    }
    private static func isBase64URL(_ byte: UInt8) -> Bool {
        isDigit(byte) || isUpper(byte) || isLower(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
    }
}

/// The `Content-Type` of each file extension the static middleware serves.
///
/// A closed list rather than Hummingbird's `MediaType` table: it also decides which missing paths
/// are assets (404) rather than SPA routes (`index.html`), so it should stay short and deliberate.
enum StaticContentTypes {
    /// Served when the extension is not in the table; with `nosniff` the browser will not guess.
    static let fallback = "application/octet-stream"

    static let byExtension: [String: String] = [
        "html": "text/html; charset=utf-8",
        "htm": "text/html; charset=utf-8",
        "css": "text/css; charset=utf-8",
        "js": "text/javascript; charset=utf-8",
        "mjs": "text/javascript; charset=utf-8",
        "json": "application/json",
        "map": "application/json",
        "webmanifest": "application/manifest+json",
        "txt": "text/plain; charset=utf-8",
        "xml": "application/xml",
        "svg": "image/svg+xml",
        "png": "image/png",
        "jpg": "image/jpeg",
        "jpeg": "image/jpeg",
        "gif": "image/gif",
        "webp": "image/webp",
        "avif": "image/avif",
        "ico": "image/x-icon",
        "woff2": "font/woff2",
        "woff": "font/woff",
        "ttf": "font/ttf",
        "otf": "font/otf",
        "wasm": "application/wasm",
    ]

    /// The content type for a file name by its lower-cased extension, or nil when it has none we know.
    static func contentType(forFileNamed name: String) -> String? {
        guard let ext = fileExtension(of: name) else { return nil }
        return byExtension[ext]
    }

    /// The lower-cased text after the last dot, when the name has a non-empty stem and extension.
    static func fileExtension(of name: String) -> String? {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        let ext = name[name.index(after: dot)...]
        return ext.isEmpty ? nil : ext.lowercased()
    }
}

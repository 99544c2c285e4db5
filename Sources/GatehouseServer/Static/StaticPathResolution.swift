/// What a request path means to the static file middleware, decided without touching the disk.
package enum StaticPathResolution: Equatable, Sendable {
    /// The path is malformed or tries to leave the folder (encoded slash, backslash, NUL, `..`,
    /// a literal `%` after decoding, …): answer 400 and never fall back to `index.html`.
    case rejected
    /// The path names a dot-file or dot-folder (`/.env`, `/.git/config`): answer 404, no fallback.
    case hidden
    /// The path belongs to the BFF or to an API route: the static middleware leaves it alone.
    case excluded
    /// Look up `relativePath` (no leading slash; empty for the folder itself) inside the folder.
    /// When nothing is there, serve `index.html` if `fallsBackToIndex`, else answer 404.
    case lookup(relativePath: String, fallsBackToIndex: Bool)
}

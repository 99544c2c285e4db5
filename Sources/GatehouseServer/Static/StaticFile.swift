/// A regular file found inside the static folder, with the facts the response needs.
struct StaticFile: Sendable, Equatable {
    /// Canonical absolute path (no symlinks), known to be inside the canonical folder.
    let path: String
    /// Size in bytes.
    let size: Int
    /// Last data modification time, in nanoseconds since 1970.
    let modifiedNanoseconds: Int64
    /// Whether this is the `index.html` of a folder the request named, rather than the named file.
    var isFolderIndex = false

    /// A strong validator: size and nanosecond mtime change with every rewrite of the file, and they
    /// are the same on every replica started from one image, unlike an inode number.
    var entityTag: String {
        "\"\(String(self.size, radix: 16))-\(String(self.modifiedNanoseconds, radix: 16))\""
    }
}

import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds files inside the static folder, following symlinks only when they stay inside it.
///
/// Canonicalisation and `stat` are blocking system calls, so they run on NIO's thread pool and
/// never on an event loop or the cooperative pool. The folder itself is canonicalised on every
/// lookup, which keeps "swap a `current` symlink" deploys working without a restart.
struct StaticFileLocator: Sendable {
    /// The configured folder, as given (relative paths resolve against the working directory).
    let folder: String
    let threadPool: NIOThreadPool

    init(folder: String, threadPool: NIOThreadPool = .singleton) {
        self.folder = folder
        self.threadPool = threadPool
    }

    /// The regular file at `relativePath`, or its folder's `index.html` when it names a folder;
    /// nil when there is none, or when the canonical path leaves the folder or passes a dot-name.
    func locate(_ relativePath: String) async throws -> StaticFile? {
        let folder = self.folder
        return try await self.threadPool.runIfActive {
            Self.locateBlocking(relativePath, in: folder)
        }
    }

    static func locateBlocking(_ relativePath: String, in folder: String) -> StaticFile? {
        guard let root = canonicalPath(folder) else { return nil }
        let joined = relativePath.isEmpty ? root : root + "/" + relativePath
        guard let candidate = canonicalPath(joined), isInside(candidate, root: root) else { return nil }
        switch fileStatus(candidate) {
        case .regular(let size, let modified):
            return StaticFile(path: candidate, size: size, modifiedNanoseconds: modified)
        case .directory:
            guard let index = canonicalPath(candidate + "/index.html"), isInside(index, root: root),
                case .regular(let size, let modified) = fileStatus(index)
            else { return nil }
            return StaticFile(path: index, size: size, modifiedNanoseconds: modified, isFolderIndex: true)
        case .other:
            return nil
        }
    }

    /// Whether `path` is `root` or below it, with no dot-named component on the way: a symlink
    /// inside the folder must not reach `.git/` or `.env` any more than a URL may.
    static func isInside(_ path: String, root: String) -> Bool {
        if path == root { return true }
        let base = root == "/" ? "/" : root + "/"
        guard path.hasPrefix(base) else { return false }
        return !path.dropFirst(base.count).split(separator: "/").contains { $0.first == "." }
    }

    private static func canonicalPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    private enum Status {
        case regular(size: Int, modifiedNanoseconds: Int64)
        case directory
        case other
    }

    private static func fileStatus(_ path: String) -> Status {
        var info = stat()
        guard stat(path, &info) == 0 else { return .other }
        switch info.st_mode & S_IFMT {
        case S_IFREG:
            #if canImport(Darwin)
            let time = info.st_mtimespec
            #else
            let time = info.st_mtim
            #endif
            return .regular(size: Int(info.st_size), modifiedNanoseconds: Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec))
        case S_IFDIR:
            return .directory
        default:
            return .other
        }
    }
}

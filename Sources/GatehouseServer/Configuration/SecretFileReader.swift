import Foundation

/// Reads the files named by `*_file` keys (Kubernetes and Docker secrets) and by
/// `oidc.private_key_file`. Paths are taken as given: relative ones resolve against the
/// working directory, like `static_dir`.
struct SecretFileReader: Sendable {
    /// Larger files are not secrets; the cap also keeps `/dev/zero` from hanging the loader.
    static let maximumSize = 1 << 20

    /// The file's text with trailing line breaks removed, or why it cannot be read
    /// (the message names the path, never the content).
    func read(_ path: String) -> Result<String, ReadFailure> {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return .failure(ReadFailure(message: "\(path) does not exist"))
        }
        guard !isDirectory.boolValue else {
            return .failure(ReadFailure(message: "\(path) is a directory, not a file"))
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            return .failure(ReadFailure(message: "\(path) is not readable (permissions?)"))
        }
        defer { try? handle.close() }
        let data: Data
        do {
            data = try handle.read(upToCount: Self.maximumSize + 1) ?? Data()
        } catch {
            return .failure(ReadFailure(message: "\(path) could not be read"))
        }
        guard data.count <= Self.maximumSize else {
            return .failure(ReadFailure(message: "\(path) is larger than 1 MiB"))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return .failure(ReadFailure(message: "\(path) is not UTF-8 text"))
        }
        var trimmed = Substring(text)
        while let last = trimmed.last, last == "\n" || last == "\r" || last == "\r\n" {
            trimmed = trimmed.dropLast()
        }
        return .success(String(trimmed))
    }

    /// Why a file could not be read; safe to print.
    struct ReadFailure: Error {
        var message: String
    }
}

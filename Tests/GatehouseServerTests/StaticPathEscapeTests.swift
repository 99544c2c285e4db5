import GatehouseServer
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Static files: no path escapes the folder")
struct StaticPathEscapeTests {
    static let attacks: [String] = [
        "/../secret.txt",
        "/docs/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2e/secret.txt",
        "/%2e%2e%2fsecret.txt",
        "/..%2fsecret.txt",
        "/..%2Fsecret.txt",
        "/..%5csecret.txt",
        "/..\\secret.txt",
        "/docs\\..\\..\\secret.txt",
        "/secret.txt%00.html",
        "/index.html%00",
        "/%252e%252e/secret.txt",
        "/%252e%252e%252fsecret.txt",
        "//etc/passwd",
        "///secret.txt",
        "/%2f%2fetc/passwd",
        "/.env",
        "/.git/config",
        "/%2eenv",
        "/%2egit/config",
        "/docs/.hidden",
        "/leak.txt",
        "/env.txt",
        "/%zz",
    ]

    @Test("each traversal, encoding trick, dot-file and outward symlink is refused", arguments: attacks)
    func refused(path: String) async throws {
        try await withStaticApplication { client, _ in
            let response = try await client.execute(uri: path, method: .get)
            #expect([.badRequest, .notFound].contains(response.status), "\(path) → \(response.status)")
            let body = String(buffer: response.body)
            #expect(!body.contains("SECRET"))
            #expect(!body.contains("dot-git"))
            #expect(body != StaticTestFolder.indexHTML, "a refused path must not look like a page")
        }
    }

    @Test("the same attacks are refused over a real HTTP connection")
    func refusedLive() async throws {
        try await withStaticApplication(setup: .live) { client, _ in
            for path in ["/%2e%2e/secret.txt", "/..%2fsecret.txt", "/%252e%252e/secret.txt", "/leak.txt", "/.env"] {
                let response = try await client.execute(uri: path, method: .get)
                #expect([.badRequest, .notFound].contains(response.status), "\(path)")
                #expect(!String(buffer: response.body).contains("SECRET"))
            }
        }
    }

    @Test("an absolute path is read inside the folder, never from the root of the disk")
    func absolutePathStaysInside() async throws {
        try await withStaticApplication { client, folder in
            for path in ["/etc/passwd", "/\(folder.base.path)/secret.txt"] {
                let response = try await client.execute(uri: path, method: .get)
                let body = String(buffer: response.body)
                #expect(!body.contains("root:"), "\(path)")
                #expect(!body.contains("SECRET"), "\(path)")
            }
        }
    }

    @Test("a symlink outside the folder without an extension falls back to index.html, not its target")
    func outwardSymlinkWithoutExtension() async throws {
        try await withStaticApplication { client, _ in
            let response = try await client.execute(uri: "/leak", method: .get)
            #expect(String(buffer: response.body) == StaticTestFolder.indexHTML)
        }
    }

    @Test("a symlink that stays inside the folder is served under its own name")
    func inwardSymlinkServed() async throws {
        try await withStaticApplication { client, _ in
            let response = try await client.execute(uri: "/alias.css", method: .get)
            #expect(response.status == .ok)
            #expect(String(buffer: response.body) == "body { margin: 0 }")
        }
    }
}

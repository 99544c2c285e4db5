import GatehouseServer
import Testing

@Suite("Static files: path resolution without the disk")
struct StaticPathResolverTests {
    let resolver = StaticPathResolver(excludingPathPrefixes: ["/api/", "graphql"])

    @Test("plain paths become folder-relative lookups, with fallback only for non-assets")
    func lookups() {
        #expect(resolver.resolve("/") == .lookup(relativePath: "", fallsBackToIndex: true))
        #expect(resolver.resolve("/app.js") == .lookup(relativePath: "app.js", fallsBackToIndex: false))
        #expect(resolver.resolve("/settings/profile") == .lookup(relativePath: "settings/profile", fallsBackToIndex: true))
        #expect(resolver.resolve("/users/jane.doe") == .lookup(relativePath: "users/jane.doe", fallsBackToIndex: true))
        #expect(resolver.resolve("/docs/") == .lookup(relativePath: "docs/", fallsBackToIndex: true))
        #expect(resolver.resolve("/caf%C3%A9") == .lookup(relativePath: "café", fallsBackToIndex: true))
        #expect(resolver.resolve("/a%20b.CSS") == .lookup(relativePath: "a b.CSS", fallsBackToIndex: false))
    }

    @Test("/bff/ is always excluded and configured prefixes are added, rooted")
    func exclusions() {
        #expect(resolver.excludedPathPrefixes == ["/bff/", "/api/", "/graphql"])
        #expect(resolver.resolve("/bff/user") == .excluded)
        #expect(resolver.resolve("/bff") == .excluded)
        #expect(resolver.resolve("/api/x.js") == .excluded)
        #expect(resolver.resolve("/graphql") == .excluded)
        #expect(resolver.resolve("/%62ff/user") == .excluded)
        #expect(resolver.resolve("/bffx") == .lookup(relativePath: "bffx", fallsBackToIndex: true))
    }

    @Test(
        "malformed and traversal paths are rejected",
        arguments: [
            "", "relative", "/..", "/a/../b", "/./a", "/%2e%2e/a", "/%2E%2e/", "/a%2fb", "/a%2Fb", "/a%5cb",
            "/a\\b", "/a%00", "/a%0a", "/%252e%252e", "/%25", "//a", "/a//b", "/%", "/%4", "/%zz", "/%ff",
        ]
    )
    func rejected(path: String) {
        #expect(resolver.resolve(path) == .rejected)
    }

    @Test("dot-files and dot-folders are hidden", arguments: ["/.env", "/.git/config", "/a/.htaccess", "/%2eenv"])
    func hidden(path: String) {
        #expect(resolver.resolve(path) == .hidden)
    }
}

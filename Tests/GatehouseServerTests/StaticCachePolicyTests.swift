import GatehouseServer
import Testing

@Suite("Static files: cache policy")
struct StaticCachePolicyTests {
    @Test(
        "bundler content hashes are recognised as fingerprints",
        arguments: ["app.3f9a2c1e.js", "main.3F9A2C1E0B.css", "chunk-0123abcd.js", "index-Bk9xQ2aZ.js", "logo.a1b2c3d4e5f6a7b8.svg"]
    )
    func fingerprinted(name: String) {
        #expect(StaticCachePolicy.isFingerprinted(name))
    }

    @Test(
        "ordinary names are not fingerprints",
        arguments: ["app.js", "index.html", "3f9a2c1e.js", "app.3f9a2c.js", "my-component.js", "vendor-abcdefgh.js", "app.3f9a2c1g.js", ".3f9a2c1e"]
    )
    func notFingerprinted(name: String) {
        #expect(!StaticCachePolicy.isFingerprinted(name))
    }

    @Test("HTML is always revalidated, even when its name looks hashed")
    func htmlNoCache() {
        let policy = StaticCachePolicy()
        #expect(policy.cacheControl(forFileNamed: "index.html") == "no-cache")
        #expect(policy.cacheControl(forFileNamed: "page.3f9a2c1e.html") == "no-cache")
        #expect(policy.cacheControl(forFileNamed: "app.3f9a2c1e.js") == "public, max-age=31536000, immutable")
        #expect(policy.cacheControl(forFileNamed: "app.js") == "public, max-age=300")
    }
}

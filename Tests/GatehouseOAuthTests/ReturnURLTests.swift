import GatehouseOAuth
import Testing

@Suite("Return URL")
struct ReturnURLTests {
    @Test("local paths are kept", arguments: ["/", "/x", "/app/page?tab=2#top", "/a%20b", "/caf%C3%A9"])
    func localPaths(path: String) {
        #expect(ReturnURL(sanitizing: path).path == path)
    }

    @Test("anything that could leave the origin falls back to /", arguments: [
        "https://evil.example", "//evil.example", "/\\evil.example", "\\\\evil.example",
        "%2F%2Fevil.example", "/%2F%2Fevil.example", "/%2f%2fevil.example", "/%5Cevil.example",
        "/%252F%252Fevil.example", "javascript:alert(1)", "", "evil", "/\tevil", "/\n/evil.example",
        "/%0d%0aSet-Cookie:x", "/%zz", "/ space", "/\u{2028}",
    ])
    func attacks(candidate: String) {
        #expect(ReturnURL(sanitizing: candidate) == .root)
    }

    @Test("a missing returnUrl becomes /")
    func missing() {
        #expect(ReturnURL(sanitizing: nil).path == "/")
    }
}

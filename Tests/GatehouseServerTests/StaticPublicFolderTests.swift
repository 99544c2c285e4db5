import Foundation
import GatehouseServer
import Hummingbird
import HummingbirdTesting
import Testing

/// The demo SPA in `Public/` must work under the CSP it is served with: `default-src 'self'`
/// forbids inline scripts, inline styles and event-handler attributes.
@Suite("Static files: the demo SPA in Public/")
struct StaticPublicFolderTests {
    static let publicFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Public").path

    static func read(_ name: String) throws -> String {
        try String(contentsOfFile: "\(publicFolder)/\(name)", encoding: .utf8)
    }

    @Test("Public/ is served with the types and cache policy the SPA expects")
    func servesPublic() async throws {
        let headers = SecurityHeaders(publicURLIsHTTPS: false)
        let router = Router()
        router.add(middleware: StaticFileMiddleware<BasicRequestContext>(folder: Self.publicFolder, securityHeaders: headers))
        try await Application(router: router).test(.router) { client in
            let index = try await client.execute(uri: "/some/spa/route", method: .get)
            #expect(String(buffer: index.body).contains("<title>Gatehouse demo</title>"))
            #expect(index.headers[.cacheControl] == "no-cache")
            for (path, type) in [("/app.js", "text/javascript"), ("/app.css", "text/css"), ("/favicon.svg", "image/svg+xml")] {
                let response = try await client.execute(uri: path, method: .get)
                #expect(response.status == .ok, "\(path)")
                #expect(response.headers[.contentType]?.hasPrefix(type) == true, "\(path)")
            }
        }
    }

    @Test("index.html has no inline script, inline style or event-handler attribute")
    func noInlineCode() throws {
        let html = try Self.read("index.html")
        #expect(!html.contains("<style"))
        #expect(!html.contains("style="))
        #expect(html.range(of: #"<script(?![^>]*\bsrc=)"#, options: .regularExpression) == nil)
        #expect(html.range(of: #"\son[a-z]+\s*="#, options: .regularExpression) == nil)
        #expect(html.range(of: #"(src|href)="(https?:)?//"#, options: .regularExpression) == nil, "no external CDN or fonts")
    }

    @Test("app.js keeps nothing in web storage and sends the CSRF header from its one fetch")
    func scriptRules() throws {
        let script = try Self.read("app.js")
        #expect(!script.contains("localStorage"))
        #expect(!script.contains("sessionStorage"))
        #expect(script.components(separatedBy: "fetch(").count == 2, "a single fetch call site")
        #expect(script.contains("'X-CSRF': '1'"))
        #expect(script.contains("credentials: 'same-origin'"))
    }
}

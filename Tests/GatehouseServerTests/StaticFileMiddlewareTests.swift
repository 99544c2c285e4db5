import GatehouseServer
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Static files: serving, SPA fallback, caching")
struct StaticFileMiddlewareTests {
    @Test("the folder root serves index.html with no-cache")
    func rootServesIndex() async throws {
        try await withStaticApplication { client, _ in
            let response = try await client.execute(uri: "/", method: .get)
            #expect(response.status == .ok)
            #expect(String(buffer: response.body) == StaticTestFolder.indexHTML)
            #expect(response.headers[.contentType] == "text/html; charset=utf-8")
            #expect(response.headers[.cacheControl] == "no-cache")
        }
    }

    @Test("an unknown route without an asset extension falls back to index.html with no-cache")
    func spaRouteFallsBack() async throws {
        try await withStaticApplication { client, _ in
            for path in ["/settings/profile", "/users/jane.doe", "/settings/"] {
                let response = try await client.execute(uri: path, method: .get)
                #expect(response.status == .ok, "\(path)")
                #expect(String(buffer: response.body) == StaticTestFolder.indexHTML, "\(path)")
                #expect(response.headers[.cacheControl] == "no-cache", "\(path)")
                #expect(response.headers[.contentType] == "text/html; charset=utf-8", "\(path)")
            }
        }
    }

    @Test("a missing asset with a known extension is 404, not index.html")
    func missingAssetIs404() async throws {
        try await withStaticApplication { client, _ in
            for path in ["/missing.js", "/assets/app.0badc0de.css", "/favicon.png", "/about.html"] {
                let response = try await client.execute(uri: path, method: .get)
                #expect(response.status == .notFound, "\(path)")
                #expect(String(buffer: response.body) != StaticTestFolder.indexHTML, "\(path)")
            }
        }
    }

    @Test("paths under /bff/ and the API prefixes never fall back to index.html")
    func excludedPrefixesAre404() async throws {
        try await withStaticApplication { client, _ in
            for path in ["/bff/unknown", "/bff/logout", "/bff", "/api/unknown", "/api", "/%62ff/user"] {
                let response = try await client.execute(uri: path, method: .get)
                #expect(response.status == .notFound, "\(path)")
                #expect(String(buffer: response.body) != StaticTestFolder.indexHTML, "\(path)")
            }
        }
    }

    @Test("routes answer before the folder is consulted")
    func routesWin() async throws {
        try await withStaticApplication { client, _ in
            let response = try await client.execute(uri: "/api/known", method: .get)
            #expect(String(buffer: response.body) == "api answered")
        }
    }

    @Test("a folder path serves that folder's index.html")
    func folderIndex() async throws {
        try await withStaticApplication { client, _ in
            let response = try await client.execute(uri: "/docs/", method: .get)
            #expect(String(buffer: response.body) == "<p>docs</p>")
            #expect(response.headers[.contentType] == "text/html; charset=utf-8")
            #expect(response.headers[.cacheControl] == "no-cache")
        }
    }

    @Test("fingerprinted assets are immutable for a year, other assets cache briefly")
    func cacheControl() async throws {
        try await withStaticApplication { client, _ in
            let fingerprinted = try await client.execute(uri: "/app.3f9a2c1e.js", method: .get)
            #expect(String(buffer: fingerprinted.body) == "console.log('fingerprinted')")
            #expect(fingerprinted.headers[.cacheControl] == "public, max-age=31536000, immutable")
            let plain = try await client.execute(uri: "/app.js", method: .get)
            #expect(String(buffer: plain.body) == "console.log('plain')")
            #expect(plain.headers[.cacheControl] == "public, max-age=300")
        }
    }

    @Test(
        "each served file type gets its content type",
        arguments: [
            ("/index.html", "text/html; charset=utf-8"),
            ("/app.css", "text/css; charset=utf-8"),
            ("/app.js", "text/javascript; charset=utf-8"),
            ("/module.mjs", "text/javascript; charset=utf-8"),
            ("/data.json", "application/json"),
            ("/icon.svg", "image/svg+xml"),
            ("/logo.png", "image/png"),
            ("/photo.jpg", "image/jpeg"),
            ("/favicon.ico", "image/x-icon"),
            ("/font.woff2", "font/woff2"),
            ("/notes.txt", "text/plain; charset=utf-8"),
            ("/app.js.map", "application/json"),
            ("/site.webmanifest", "application/manifest+json"),
        ]
    )
    func contentTypes(path: String, contentType: String) async throws {
        try await withStaticApplication { client, _ in
            let response = try await client.execute(uri: path, method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == contentType)
            #expect(response.headers[.xContentTypeOptions] == "nosniff")
        }
    }

    @Test("a strong ETag comes back as 304 with no body when If-None-Match matches")
    func conditionalGet() async throws {
        try await withStaticApplication { client, _ in
            let first = try await client.execute(uri: "/app.js", method: .get)
            let etag = try #require(first.headers[.eTag])
            #expect(etag.hasPrefix("\""), "strong validator, not W/")
            for condition in [etag, "W/\(etag)", "\"other\", \(etag)", "*"] {
                let again = try await client.execute(uri: "/app.js", method: .get, headers: [.ifNoneMatch: condition])
                #expect(again.status == .notModified, "\(condition)")
                #expect(again.body.readableBytes == 0)
                #expect(again.headers[.eTag] == etag)
                #expect(again.headers[.cacheControl] == "public, max-age=300")
            }
            let changed = try await client.execute(uri: "/app.js", method: .get, headers: [.ifNoneMatch: "\"stale\""])
            #expect(changed.status == .ok)
        }
    }

    @Test("the index.html fallback also answers 304 to its own ETag")
    func conditionalFallback() async throws {
        try await withStaticApplication { client, _ in
            let first = try await client.execute(uri: "/some/route", method: .get)
            let etag = try #require(first.headers[.eTag])
            let again = try await client.execute(uri: "/other/route", method: .get, headers: [.ifNoneMatch: etag])
            #expect(again.status == .notModified)
            #expect(again.headers[.cacheControl] == "no-cache")
        }
    }

    @Test("HEAD answers the headers with the length and no body")
    func headHasNoBody() async throws {
        try await withStaticApplication { client, _ in
            let response = try await client.execute(uri: "/app.css", method: .head)
            #expect(response.status == .ok)
            #expect(response.body.readableBytes == 0)
            #expect(response.headers[.contentLength] == "\("body { margin: 0 }".utf8.count)")
            #expect(response.headers[.contentType] == "text/css; charset=utf-8")
        }
    }

    @Test("HEAD over a live connection leaves no body on the wire")
    func headLive() async throws {
        try await withStaticApplication(setup: .live) { client, _ in
            let head = try await client.execute(uri: "/settings", method: .head)
            #expect(head.status == .ok)
            #expect(head.body.readableBytes == 0)
            // The connection must still be usable: a stray body would corrupt the next response.
            let get = try await client.execute(uri: "/app.js", method: .get)
            #expect(String(buffer: get.body) == "console.log('plain')")
        }
    }

    @Test("methods other than GET and HEAD are not served from the folder")
    func postNotServed() async throws {
        try await withStaticApplication { client, _ in
            for method: HTTPRequest.Method in [.post, .put, .delete, .options] {
                for path in ["/", "/index.html", "/app.js", "/settings"] {
                    let response = try await client.execute(uri: path, method: method)
                    #expect(response.status == .notFound, "\(method) \(path)")
                    #expect(String(buffer: response.body) != StaticTestFolder.indexHTML)
                }
            }
        }
    }
}

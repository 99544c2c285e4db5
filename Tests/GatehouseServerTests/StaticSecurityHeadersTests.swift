import GatehouseServer
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Static files: security headers")
struct StaticSecurityHeadersTests {
    static let expected: [(HTTPField.Name, String)] = [
        (.contentSecurityPolicy, "default-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"),
        (.xContentTypeOptions, "nosniff"),
        (.init("Referrer-Policy")!, "strict-origin-when-cross-origin"),
        (.init("X-Frame-Options")!, "DENY"),
        (.init("Cross-Origin-Opener-Policy")!, "same-origin"),
    ]

    @Test("files, the fallback, 304s and 404s all carry the security headers exactly once")
    func headersEverywhere() async throws {
        try await withStaticApplication { client, _ in
            let file = try await client.execute(uri: "/app.js", method: .get)
            let etag = try #require(file.headers[.eTag])
            let responses = [
                file,
                try await client.execute(uri: "/settings", method: .get),
                try await client.execute(uri: "/app.js", method: .get, headers: [.ifNoneMatch: etag]),
                try await client.execute(uri: "/missing.js", method: .get),
                try await client.execute(uri: "/.env", method: .get),
                try await client.execute(uri: "/%2e%2e/secret.txt", method: .get),
                try await client.execute(uri: "/api/known", method: .get),
            ]
            for response in responses {
                for (name, value) in Self.expected {
                    #expect(response.headers[values: name] == [value], "\(response.status) \(name)")
                }
                #expect(response.headers[.strictTransportSecurity] == nil, "no HSTS over http")
            }
        }
    }

    @Test("HSTS is sent only when the public URL is https")
    func hstsOnlyOnHTTPS() async throws {
        try await withStaticApplication(publicURLIsHTTPS: true) { client, _ in
            let response = try await client.execute(uri: "/", method: .get)
            #expect(response.headers[.strictTransportSecurity] == "max-age=63072000; includeSubDomains")
        }
        try await withStaticApplication(publicURLIsHTTPS: false) { client, _ in
            let response = try await client.execute(uri: "/", method: .get)
            #expect(response.headers[.strictTransportSecurity] == nil)
        }
    }

    @Test("the content security policy is configurable")
    func configurableCSP() {
        var headers = SecurityHeaders(contentSecurityPolicy: "default-src 'none'", publicURLIsHTTPS: false)
        #expect(headers.fields[.contentSecurityPolicy] == "default-src 'none'")
        headers.publicURLIsHTTPS = true
        var fields: HTTPFields = [.contentSecurityPolicy: "old"]
        headers.apply(to: &fields)
        #expect(fields[values: .contentSecurityPolicy] == ["default-src 'none'"])
        #expect(fields[.strictTransportSecurity] != nil)
    }
}

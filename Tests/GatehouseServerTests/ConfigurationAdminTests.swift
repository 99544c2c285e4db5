import Foundation
import GatehouseServer
import Testing

@Suite("Configuration: admin.token")
struct ConfigurationAdminTests {
    @Test("no admin section: the admin API is off")
    func off() throws {
        #expect(try ConfigurationLoader(environment: [:]).load(yaml: minimalYAML).admin.token == nil)
    }

    @Test("admin.token, admin.token_file and GATEHOUSE_ADMIN_TOKEN give the bearer; the summary says on, never the token")
    func given() throws {
        let token = "0123456789abcdef-admin-token"
        let inline = try ConfigurationLoader(environment: [:]).load(yaml: minimalYAML + "\nadmin:\n  token: \(token)\n")
        #expect(inline.admin.token?.value == token)
        #expect(inline.summary.contains("admin API on") && !inline.summary.contains(token))
        #expect(!"\(inline)".contains(token))
        let scratch = try ConfigurationScratch()
        defer { scratch.cleanUp() }
        let path = try scratch.write("admin-token", token + "\n")
        #expect(try ConfigurationLoader(environment: [:]).load(yaml: minimalYAML + "\nadmin:\n  token_file: \(path)\n").admin.token?.value == token)
        #expect(try ConfigurationLoader(environment: ["GATEHOUSE_ADMIN_TOKEN": token]).load(yaml: minimalYAML).admin.token?.value == token)
    }

    @Test("a short admin token, or both token and token_file, is a problem with its key path and without the value")
    func refused() {
        let found = problems(minimalYAML + "\nadmin:\n  token: short-secret\n")
        #expect(found.map(\.keyPath) == ["admin.token"])
        #expect(found.first?.message.contains("at least 16 characters") == true)
        #expect(!found.map(\.description).joined().contains("short-secret"))
        let both = problems(minimalYAML + "\nadmin:\n  token: 0123456789abcdef-admin-token\n  token_file: /nonexistent\n")
        #expect(both.map(\.keyPath) == ["admin.token"])
    }
}

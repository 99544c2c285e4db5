import Foundation
import GatehouseOAuth
import Testing

@Suite("Secret types")
struct RedactedSecretEncodingTests {
    @Test("secrets encode as plain JSON strings (inside sealed records) and print as <redacted>")
    func encoding() throws {
        let token = AccessToken("opaque-abc")
        let data = try JSONEncoder().encode([token])
        #expect(String(decoding: data, as: UTF8.self) == "[\"opaque-abc\"]")
        #expect(try JSONDecoder().decode([RefreshToken].self, from: data) == [RefreshToken("opaque-abc")])
        #expect("\(token) \(ClientSecret("s3cret")) \(IDToken("eyJ"))" == "<redacted> <redacted> <redacted>")
        var dumped = ""
        dump(AuthorizationCode("code-123"), to: &dumped)
        #expect(!dumped.contains("code-123"))
    }
}

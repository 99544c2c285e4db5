import Foundation
import GatehouseOAuth
import Testing

@Suite("Secret types")
struct SecretTypesTests {
    @Test("secrets print as <redacted> in descriptions, interpolation and dumps")
    func redacted() {
        let secrets: [any RedactedSecret] = [
            AccessToken("at-secret"), RefreshToken("rt-secret"), IDToken("id-secret"),
            ClientSecret("cs-secret"), AuthorizationCode("code-secret"), CodeVerifier("verifier-secret"),
        ]
        for secret in secrets {
            #expect(secret.description == "<redacted>")
            #expect(String(reflecting: secret) == "<redacted>")
            #expect("\(secret)" == "<redacted>")
            var dumped = ""
            dump(secret, to: &dumped)
            #expect(!dumped.contains("secret"))
        }
    }

    @Test("secrets encode as plain JSON strings so they can be stored encrypted")
    func codable() throws {
        let data = try JSONEncoder().encode(["t": RefreshToken("abc")])
        #expect(String(decoding: data, as: UTF8.self) == #"{"t":"abc"}"#)
        #expect(try JSONDecoder().decode([String: RefreshToken].self, from: data)["t"]?.value == "abc")
    }
}

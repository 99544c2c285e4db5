import Foundation
import GatehouseOAuth
import Testing

@Suite("Discovery document")
struct ProviderMetadataTests {
    let issuer = "https://idp.example.com/realms/x"

    func document(_ changes: [String: Any?] = [:]) -> [UInt8] {
        var document: [String: Any] = [
            "issuer": issuer,
            "authorization_endpoint": issuer + "/protocol/openid-connect/auth",
            "token_endpoint": issuer + "/protocol/openid-connect/token",
            "jwks_uri": issuer + "/protocol/openid-connect/certs",
            "end_session_endpoint": issuer + "/protocol/openid-connect/logout",
            "revocation_endpoint": issuer + "/protocol/openid-connect/revoke",
            "authorization_response_iss_parameter_supported": true,
            "id_token_signing_alg_values_supported": ["RS256", "ES256"],
            "backchannel_logout_supported": true,
        ]
        for (name, value) in changes { document[name] = value }
        return Array(try! JSONSerialization.data(withJSONObject: document))
    }

    @Test("a complete document decodes with every endpoint")
    func decodes() throws {
        let metadata = try ProviderMetadata(discoveryDocument: document(), expectedIssuer: issuer)
        #expect(metadata.tokenEndpoint.absoluteString == issuer + "/protocol/openid-connect/token")
        #expect(metadata.endSessionEndpoint != nil)
        #expect(metadata.revocationEndpoint != nil)
        #expect(metadata.userinfoEndpoint == nil)
        #expect(metadata.authorizationResponseIssParameterSupported)
        #expect(metadata.idTokenSigningAlgValuesSupported == ["RS256", "ES256"])
        #expect(metadata.backchannelLogoutSupported)
    }

    @Test("an issuer that differs in path or trailing slash is rejected")
    func issuerMismatch() {
        #expect(throws: DiscoveryError.issuerMismatch) {
            try ProviderMetadata(discoveryDocument: document(["issuer": "https://idp.example.com/realms/y"]), expectedIssuer: issuer)
        }
        #expect(throws: DiscoveryError.issuerMismatch) {
            try ProviderMetadata(discoveryDocument: document(["issuer": issuer + "/"]), expectedIssuer: issuer)
        }
    }

    @Test("a document without jwks_uri is rejected, naming the endpoint")
    func missingEndpoint() {
        do {
            _ = try ProviderMetadata(discoveryDocument: document(["jwks_uri": nil]), expectedIssuer: issuer)
            Issue.record("expected a failure")
        } catch {
            #expect(error == .missingEndpoint)
            #expect(error.description.contains("jwks_uri"))
        }
    }

    @Test("an HTML answer is reported as HTML, not JSON")
    func html() {
        do {
            _ = try ProviderMetadata(discoveryDocument: Array("<!DOCTYPE html><html>login</html>".utf8), expectedIssuer: issuer)
            Issue.record("expected a failure")
        } catch {
            #expect(error == .html)
            #expect(error.description.contains("HTML, not JSON"))
        }
    }

    @Test("garbage bytes are reported as not JSON")
    func garbage() {
        #expect(throws: DiscoveryError.notJSON) {
            try ProviderMetadata(discoveryDocument: [0xFF, 0x00, 0x13], expectedIssuer: issuer)
        }
        #expect(throws: DiscoveryError.notJSON) {
            try ProviderMetadata(discoveryDocument: Array("{ truncated".utf8), expectedIssuer: issuer)
        }
    }

    @Test("an endpoint that is not an http(s) URL is rejected")
    func invalidEndpoint() {
        #expect(throws: DiscoveryError.invalidEndpoint) {
            try ProviderMetadata(discoveryDocument: document(["token_endpoint": "javascript:alert(1)"]), expectedIssuer: issuer)
        }
    }
}

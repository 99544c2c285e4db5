import Foundation
import GatehouseOAuth
@testable import GatehouseServer
import Logging
import Synchronization
import Testing

/// A token endpoint in memory: discovery, a JWKS with one public key, and a client-credentials grant whose
/// answer may omit `expires_in`.
final class FakeTokenEndpoint: OAuthTransport {
    let issuer = "https://idp.test"
    private let grants = Mutex(0)
    private let expiresIn: Int?

    init(expiresIn: Int?) { self.expiresIn = expiresIn }

    var grantCount: Int { grants.withLock { $0 } }

    func get(_ url: URL, timeout: Duration) async throws -> TransportResponse {
        let body = url.path.hasSuffix("openid-configuration")
            ? #"{"issuer":"\#(issuer)","authorization_endpoint":"\#(issuer)/authorize","token_endpoint":"\#(issuer)/token","jwks_uri":"\#(issuer)/jwks"}"#
            // RFC 7517 Appendix A.1's public EC key: any usable key will do, nothing is verified here.
            : #"{"keys":[{"kty":"EC","crv":"P-256","x":"MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4","y":"4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyM","use":"sig","alg":"ES256","kid":"1"}]}"#
        return TransportResponse(status: 200, contentType: "application/json", body: Array(body.utf8))
    }

    func post(_ request: FormPostRequest, timeout: Duration) async throws -> TransportResponse {
        let count = grants.withLock { value in
            value += 1
            return value
        }
        let lifetime = expiresIn.map { #","expires_in":\#($0)"# } ?? ""
        return TransportResponse(status: 200, contentType: "application/json", body: Array(#"{"access_token":"client-\#(count)","token_type":"Bearer"\#(lifetime)}"#.utf8))
    }
}

@Suite("Client-credentials token lifetime")
struct ClientTokenLifetimeTests {
    @Test("a client token without expires_in is used for a bounded time, then fetched again (never for the life of the process)")
    func withoutExpiresIn() async throws {
        let endpoint = FakeTokenEndpoint(expiresIn: nil)
        let clock = Mutex(Date(timeIntervalSince1970: 1_000_000))
        let provider = OIDCProvider(settings: .init(issuer: endpoint.issuer, clientID: "c", authentication: .clientSecretBasic(ClientSecret("s"))), transport: endpoint, logger: Logger(label: "test"))
        #expect(await provider.refresh())
        let configuration = GatehouseConfiguration(
            publicURL: URL(string: "https://app.test")!, oidc: OIDCSettings(issuer: URL(string: endpoint.issuer)!, clientID: "c"),
            session: SessionSettings(store: .memory, encryptionKeys: [])
        )
        let service = ClientTokenService(provider: provider, transport: endpoint, configuration: configuration, now: { clock.withLock { $0 } })
        #expect(try await service.token().value == "client-1")
        clock.withLock { $0 += 200 }
        #expect(try await service.token().value == "client-1", "still within the assumed lifetime")
        clock.withLock { $0 += ClientTokenService.assumedLifetime }
        #expect(try await service.token().value == "client-2", "fetched again")
        #expect(endpoint.grantCount == 2)
    }
}

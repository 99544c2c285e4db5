import Crypto
import Foundation
import GatehouseOAuth
import GatehouseServer
import Synchronization

/// An OpenID provider in memory, behind the ``OAuthTransport`` seam: discovery, a JWKS with one
/// P-256 key, ES256 ID tokens, the code, refresh (with rotation) and client-credentials grants,
/// and revocation. For the unit tier: no socket, no sleep; tests read its counters and set its
/// answers.
final class MemoryProvider: OAuthTransport {
    static let issuer = "https://idp.test"
    static let clientID = "unit-client"
    static let subject = "user-1"

    struct State {
        var nonces: [String: String] = [:]
        var liveRefreshTokens: Set<String> = []
        var revoked: [String] = []
        var grants: [String: Int] = [:]
        var accessLifetime = 3600
        var nextError: String?
        var serial = 0
    }

    private let key = P256.Signing.PrivateKey()
    let state = Mutex(State())

    /// Registers the authorization code the login page would hand out for `nonce`.
    func issueCode(_ code: String, nonce: String) { state.withLock { $0.nonces[code] = nonce } }
    func grants(_ type: String) -> Int { state.withLock { $0.grants[type, default: 0] } }
    var revoked: [String] { state.withLock { $0.revoked } }
    func setAccessLifetime(_ seconds: Int) { state.withLock { $0.accessLifetime = seconds } }
    /// The next token request is answered 400 with this OAuth error.
    func failNext(_ error: String) { state.withLock { $0.nextError = error } }

    func get(_ url: URL, timeout: Duration) async throws -> TransportResponse {
        let issuer = Self.issuer
        if url.path.hasSuffix("openid-configuration") {
            return Self.json("""
                {"issuer":"\(issuer)","authorization_endpoint":"\(issuer)/authorize","token_endpoint":"\(issuer)/token",
                 "jwks_uri":"\(issuer)/jwks","revocation_endpoint":"\(issuer)/revoke","end_session_endpoint":"\(issuer)/logout",
                 "authorization_response_iss_parameter_supported":true,"id_token_signing_alg_values_supported":["ES256"]}
                """)
        }
        let raw = key.publicKey.rawRepresentation
        let jwk = #"{"kty":"EC","crv":"P-256","alg":"ES256","use":"sig","kid":"k1","x":"\#(Self.base64URL(raw.prefix(32)))","y":"\#(Self.base64URL(raw.suffix(32)))"}"#
        return Self.json(#"{"keys":[\#(jwk)]}"#)
    }

    func post(_ request: FormPostRequest, timeout: Duration) async throws -> TransportResponse {
        let form = request.formParameters
        if request.url.path.hasSuffix("/revoke") {
            state.withLock { state in
                state.revoked.append(form["token"] ?? "")
                state.liveRefreshTokens.remove(form["token"] ?? "")
            }
            return TransportResponse(status: 200, body: [])
        }
        let grant = form["grant_type"] ?? ""
        return try state.withLock { state -> TransportResponse in
            state.grants[grant, default: 0] += 1
            if let error = state.nextError {
                state.nextError = nil
                return Self.json(#"{"error":"\#(error)"}"#, status: 400)
            }
            state.serial += 1
            let serial = state.serial
            var idToken: String?
            switch grant {
            case "authorization_code":
                guard let nonce = state.nonces.removeValue(forKey: form["code"] ?? "") else { return Self.json(#"{"error":"invalid_grant"}"#, status: 400) }
                idToken = try self.idToken(nonce: nonce)
            case "refresh_token":
                guard let presented = form["refresh_token"], state.liveRefreshTokens.remove(presented) != nil else {
                    return Self.json(#"{"error":"invalid_grant"}"#, status: 400)
                }
            case "client_credentials":
                return Self.json(#"{"access_token":"client-\#(serial)","token_type":"Bearer","expires_in":\#(state.accessLifetime)}"#)
            default:
                return Self.json(#"{"error":"unsupported_grant_type"}"#, status: 400)
            }
            let refresh = "rt-\(serial)"
            state.liveRefreshTokens.insert(refresh)
            let id = idToken.map { #","id_token":"\#($0)""# } ?? ""
            return Self.json(#"{"access_token":"at-\#(serial)","token_type":"Bearer","expires_in":\#(state.accessLifetime),"refresh_token":"\#(refresh)"\#(id)}"#)
        }
    }

    private func idToken(nonce: String) throws -> String {
        let now = Int(Date().timeIntervalSince1970)
        let header = Self.base64URL(Data(#"{"alg":"ES256","kid":"k1","typ":"JWT"}"#.utf8))
        let claims = #"{"iss":"\#(Self.issuer)","aud":"\#(Self.clientID)","sub":"\#(Self.subject)","email":"user@example.test","nonce":"\#(nonce)","iat":\#(now),"exp":\#(now + 300),"sid":"sid-1"}"#
        let payload = Self.base64URL(Data(claims.utf8))
        let signature = try key.signature(for: Data("\(header).\(payload)".utf8))
        return "\(header).\(payload).\(Self.base64URL(signature.rawRepresentation))"
    }

    private static func json(_ text: String, status: Int = 200) -> TransportResponse {
        TransportResponse(status: status, contentType: "application/json", body: Array(text.utf8))
    }

    static func base64URL(_ data: some DataProtocol) -> String {
        Data(data).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}

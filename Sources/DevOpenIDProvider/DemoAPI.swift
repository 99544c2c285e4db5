package import AsyncHTTPClient
import Crypto
import Foundation
package import Hummingbird
package import Logging
import NIOCore

/// The demo's upstream API, for `gatehouse demo`. `/api/me` shows what an API behind Gatehouse
/// receives: who the token is for, its scopes and expiry (asked of the provider's introspection,
/// since access tokens are opaque), and a fingerprint — never the token.
package enum DemoAPI {
    struct Introspected: Decodable {
        var active: Bool
        var sub: String?
        var scope: String?
        var exp: Int?
        var aud: String?
        var cnf: Confirmation?

        struct Confirmation: Decodable {
            var jkt: String?
        }
    }

    /// `jti`s of DPoP proofs this API accepted, so a captured request cannot be replayed.
    actor ProofIDs {
        private var seen: [String: Date] = [:]

        func verify(_ check: DPoPProofCheck, proof: String, now: Date) throws(DPoPProofCheck.Refusal) -> String {
            seen = seen.filter { $0.value > now }
            return try check.verify(proof, now: now, seen: &seen)
        }
    }

    struct Me: Encodable {
        struct Received: Encodable {
            var method: String
            var path: String
            var x_forwarded_for: String
            var x_forwarded_host: String
            var cookies: [String]
        }
        var api = "gatehouse demo API"
        var subject: String?
        var scopes: [String]
        var token_expires_at: Int?
        /// Set when Gatehouse exchanged the user's token for this API's audience (RFC 8693).
        var token_audience: String?
        var token_fingerprint: String
        /// `DPoP (jkt …)` when the token is sender-constrained and came with a valid proof of its key.
        var token_binding: String?
        var received: Received
    }

    struct Problem: Encodable {
        var error: String
        var message: String
    }

    package static func makeApplication(
        port: Int, issuer: String, clientID: String, clientSecret: String, httpClient: HTTPClient, logger: Logger,
        onServerRunning: @escaping @Sendable () async -> Void = {}
    ) -> some ApplicationProtocol {
        let router = Router()
        let proofIDs = ProofIDs()
        // /api/me for any signed-in user; /api/admin/me, /api/step-up/me and /api/orders/me sit
        // behind the demo's require rules and token exchange, and answer the same way.
        @Sendable func me(_ request: Request) async throws -> Response {
            guard let authorization = request.headers[.authorization], let space = authorization.firstIndex(of: " "),
                ["bearer", "dpop"].contains(authorization[..<space].lowercased())
            else {
                return json(Problem(error: "no_token", message: "The API received no bearer or DPoP token."), status: .unauthorized)
            }
            let presentedAsDPoP = authorization[..<space].lowercased() == "dpop"
            let token = String(authorization[authorization.index(after: space)...])
            var introspection = HTTPClientRequest(url: issuer + "/introspect")
            introspection.method = .POST
            // RFC 6749 §2.3.1: each part form-encoded before the join, or a ':' in the secret shifts it.
            let basic = Data("\(FormParameters.encode(clientID)):\(FormParameters.encode(clientSecret))".utf8).base64EncodedString()
            introspection.headers.add(name: "Authorization", value: "Basic \(basic)")
            introspection.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            let escaped = token.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            introspection.body = .bytes(ByteBuffer(string: "token=\(escaped)"))
            let answer = try await httpClient.execute(introspection, timeout: .seconds(5))
            let body = try await answer.body.collect(upTo: 64 * 1024)
            guard let info = try? JSONDecoder().decode(Introspected.self, from: Data(buffer: body)), info.active else {
                return json(Problem(error: "invalid_token", message: "The provider says this token is not active."), status: .unauthorized)
            }
            // A sender-constrained token counts only with a proof of its key for this very request (RFC 9449 §7).
            var binding: String?
            if let jkt = info.cnf?.jkt {
                guard presentedAsDPoP, let proof = request.dpopProof else {
                    return json(Problem(error: "invalid_token", message: "This token is DPoP-bound: it needs Authorization: DPoP and a DPoP proof."), status: .unauthorized)
                }
                let check = DPoPProofCheck(method: request.method.rawValue, url: "http://127.0.0.1:\(port)\(request.uri.path)", accessToken: token)
                do {
                    guard try await proofIDs.verify(check, proof: proof, now: Date()) == jkt else {
                        return json(Problem(error: "invalid_token", message: "The DPoP proof is of another key than the token's."), status: .unauthorized)
                    }
                } catch {
                    return json(Problem(error: "invalid_dpop_proof", message: "\(error)"), status: .unauthorized)
                }
                binding = "DPoP (jkt \(jkt.prefix(12))…)"
            } else if presentedAsDPoP {
                return json(Problem(error: "invalid_token", message: "This token is not DPoP-bound."), status: .unauthorized)
            }
            let fingerprint = SHA256.hash(data: Data(token.utf8)).prefix(6).map { String(format: "%02x", $0) }.joined()
            let cookieNames = (request.headers[.cookie] ?? "").split(separator: ";").compactMap { $0.split(separator: "=").first?.trimmingCharacters(in: .whitespaces) }
            let me = Me(
                subject: info.sub,
                scopes: info.scope?.split(separator: " ").map(String.init) ?? [],
                token_expires_at: info.exp,
                token_audience: info.aud,
                token_fingerprint: "sha256:\(fingerprint)…",
                token_binding: binding,
                received: .init(
                    method: request.method.rawValue, path: request.uri.path,
                    x_forwarded_for: request.headers[.init("X-Forwarded-For")!] ?? "",
                    x_forwarded_host: request.headers[.init("X-Forwarded-Host")!] ?? "",
                    cookies: cookieNames
                )
            )
            return json(me, status: .ok)
        }
        router.get("/api/me") { request, _ in try await me(request) }
        router.get("/api/:area/me") { request, _ in try await me(request) }
        return Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)), onServerRunning: { _ in await onServerRunning() }, logger: logger
        )
    }

    private static func json(_ value: some Encodable, status: HTTPResponse.Status) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

import Foundation
import GatehouseOAuth

extension OAuthTransport {
    /// Posts `request` to the provider, with a fresh DPoP proof of `key` when there is one
    /// (RFC 9449 §5), answering one `use_dpop_nonce` challenge by proving again with the nonce
    /// the provider sent; without a key it is a plain ``post(_:timeout:)``.
    func post(
        _ request: FormPostRequest, proving key: DPoPKey?, nonces: DPoPNonces, timeout: Duration,
        now: @Sendable () -> Date, random: any RandomSource
    ) async throws -> TransportResponse {
        guard let key else { return try await post(request, timeout: timeout) }
        func attempt(nonce: String?) async throws -> TransportResponse {
            let proof = try key.proof(method: "POST", url: request.url, nonce: nonce, now: now(), random: RandomSourceBox(base: random))
            let answer = try await post(request.adding(header: "DPoP", value: proof), timeout: timeout)
            nonces.remember(answer.dpopNonce, for: Self.provider)
            return answer
        }
        let sent = nonces.current(for: Self.provider)
        let answer = try await attempt(nonce: sent)
        guard let fresh = answer.dpopNonce, fresh != sent, Self.asksForNonce(answer) else { return answer }
        return try await attempt(nonce: fresh)
    }

    /// The key the provider's nonce is kept under.
    static var provider: String { "provider" }

    /// `{"error":"use_dpop_nonce"}` with a 400 or 401.
    private static func asksForNonce(_ answer: TransportResponse) -> Bool {
        guard answer.status == 400 || answer.status == 401 else { return false }
        return (try? JSONDecoder().decode(OAuthErrorField.self, from: Data(answer.body)))?.error == "use_dpop_nonce"
    }
}

/// Only the `error` member of an OAuth error answer.
private struct OAuthErrorField: Decodable {
    var error: String?
}

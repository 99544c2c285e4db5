import AsyncHTTPClient
import Foundation
import Hummingbird

extension DevOpenIDProvider {
    /// Ends the login session `sid` (revoking its tokens) and POSTs a logout token with that `sid`
    /// (and its `sub` when known) to each of the session's clients that has a back-channel URI —
    /// to every such client when the session is unknown.
    package func sendBackchannelLogout(sid: String) async -> [BackchannelDelivery] {
        let session = sessions[sid]
        endSessions([sid])
        let targets = logoutTargets(clientIDs: session?.clientIDs, sid: sid, sub: session?.subject, now: Date())
        return await Self.deliver(targets)
    }

    /// Ends every login session of `sub` and POSTs a logout token carrying only `sub` to every client
    /// with a back-channel URI.
    package func sendBackchannelLogout(sub: String) async -> [BackchannelDelivery] {
        endSessions(Set(sessions.filter { $0.value.subject == sub }.keys))
        let targets = logoutTargets(clientIDs: nil, sid: nil, sub: sub, now: Date())
        return await Self.deliver(targets)
    }

    /// POSTs each logout token form-encoded; a receiver that cannot be reached gives a `nil` status.
    static func deliver(_ targets: [BackchannelLogoutTarget]) async -> [BackchannelDelivery] {
        guard !targets.isEmpty else { return [] }
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup)
        var deliveries: [BackchannelDelivery] = []
        for target in targets {
            var request = HTTPClientRequest(url: target.uri)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(string: FormParameters.encode([("logout_token", target.logoutToken)])))
            var status: Int?
            if let response = try? await client.execute(request, timeout: .seconds(5)) {
                status = Int(response.status.code)
                _ = try? await response.body.collect(upTo: 64 * 1024)
            }
            deliveries.append(BackchannelDelivery(clientID: target.clientID, status: status))
        }
        try? await client.shutdown()
        return deliveries
    }
}

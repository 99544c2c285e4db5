import Foundation
import Hummingbird

/// `/_dev/…`: JSON endpoints that drive the test knobs from another process (integration tests, benchmarks).
struct TestKnobRoutes: Sendable {
    let provider: DevOpenIDProvider

    func addRoutes(to router: Router<BasicRequestContext>) {
        let group = router.group("/_dev")
        group.get("/counters") { _, _ in Response.json(await provider.currentGrantCounts()) }
        group.post("/counters/reset") { _, _ in
            await provider.resetGrantCounts()
            return Response.json(await provider.currentGrantCounts())
        }
        group.post("/latency") { request, _ in
            let body = try await decode(LatencyKnob.self, from: request)
            await provider.setTokenLatency(.milliseconds(body.token_ms))
            return Response.json(body)
        }
        group.post("/force") { request, _ in
            let body = try await decode(ForceKnob.self, from: request)
            await provider.forceNextTokenResponses(body.responses)
            return Response.json(body)
        }
        group.get("/lifetimes") { _, _ in Response.json(LifetimesKnob(await provider.currentLifetimes())) }
        group.post("/lifetimes") { request, _ in
            let body = try await decode(LifetimesKnob.self, from: request)
            let updated = body.applied(to: await provider.currentLifetimes())
            await provider.setLifetimes(updated)
            return Response.json(LifetimesKnob(updated))
        }
        group.post("/rotate-keys") { _, _ in
            let keyID = try await provider.rotateSigningKey()
            return Response.json(["kid": keyID])
        }
        group.post("/next-id-token") { request, _ in
            let overrides = try await decode(DevOpenIDProvider.IDTokenOverrides.self, from: request)
            await provider.setNextIDTokenOverrides(overrides)
            return Response.json(overrides)
        }
        group.post("/logout-token") { request, _ in
            let body = try await decode(LogoutKnob.self, from: request)
            guard let clientID = body.client_id else { throw HTTPError(.badRequest, message: "client_id is required") }
            let token = try await provider.makeLogoutToken(clientID: clientID, sid: body.sid, sub: body.sub)
            return Response.json(["logout_token": token])
        }
        group.post("/backchannel-logout") { request, _ in
            let body = try await decode(LogoutKnob.self, from: request)
            let deliveries: [DevOpenIDProvider.BackchannelDelivery]
            if let sid = body.sid {
                deliveries = await provider.sendBackchannelLogout(sid: sid)
            } else if let sub = body.sub {
                deliveries = await provider.sendBackchannelLogout(sub: sub)
            } else {
                throw HTTPError(.badRequest, message: "sid or sub is required")
            }
            return Response.json(["deliveries": deliveries])
        }
        group.get("/sessions") { request, _ in
            guard let sub = request.queryParameters["sub"] else { throw HTTPError(.badRequest, message: "sub is required") }
            return Response.json(["sids": await provider.sessionIDs(subject: sub)])
        }
        group.post("/reset") { _, _ in
            await provider.resetKnobs()
            return Response(status: .noContent)
        }
    }

    private func decode<T: Decodable>(_ type: T.Type, from request: Request) async throws -> T {
        let buffer = try await request.body.collect(upTo: 64 * 1024)
        do {
            return try JSONDecoder().decode(type, from: Data(buffer.readableBytesView))
        } catch {
            throw HTTPError(.badRequest, message: "Body is not the expected JSON.")
        }
    }
}

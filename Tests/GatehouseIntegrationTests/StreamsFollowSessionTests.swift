import AsyncHTTPClient
import DevOpenIDProvider
import Foundation
@testable import GatehouseServer
import GatehouseTestSupport
import NIOCore
import NIOHTTP1
import NIOWebSocket
import Synchronization
import Testing

/// PRODUCT.md "Authorization per route": WebSocket relays and server-sent-event streams are tied to
/// their session, and close within 5 s of it ending on any replica (WebSocket close 4401).
@Suite("Sessions across replicas: streams follow their session, the sessions API ends one everywhere")
struct StreamsFollowSessionTests {
    /// How the session ends, on replica 1 (the streams are on replicas 0 and 2).
    enum Ending: String, CaseIterable, CustomTestStringConvertible {
        case logout, backchannelLogout = "back-channel logout", sessionsAPI = "DELETE /bff/sessions/{id}"
        var testDescription: String { rawValue }
    }

    @Test("an SSE stream on one replica and a WebSocket on another close within 5 s of the session ending on a third", arguments: Ending.allCases)
    func streamsClose(ending: Ending) async throws {
        try await withEchoUpstream { echo in
            try await withReplicas(webSocketUpstream: echo.port) { cluster in
                // A second session of the same user, to end this one through the sessions API.
                let other = ending == .sessionsAPI ? try await cluster.login() : nil
                let events = try await cluster.openEvents(on: 0)
                #expect(events.status == .ok, "the event stream runs")
                let eventsEnded = Task { () throws -> Bool in
                    do {
                        for try await _ in events.body {}
                    } catch {}
                    return true
                }
                defer { eventsEnded.cancel() }
                let (socket, _) = try await WebSocketUpstream.connect(
                    url: URL(string: cluster.urls[2] + "/ws/echo")!,
                    headers: ["Origin": cluster.publicURL, "Cookie": "gatehouse=\(cluster.cookie)"], maxFrameSize: 1 << 16, timeout: .seconds(10)
                )
                try await socket.executeThenClose { inbound, outbound in
                    let (echoed, echoedContinuation) = AsyncStream<Void>.makeStream()
                    let closeCode = Task { () -> WebSocketErrorCode? in
                        for try await frame in inbound {
                            if frame.opcode == .text { echoedContinuation.yield() }
                            if frame.opcode == .connectionClose {
                                var data = frame.unmaskedData
                                return data.readWebSocketErrorCode()
                            }
                        }
                        return nil
                    }
                    defer { closeCode.cancel() }
                    try await outbound.write(WebSocketFrame(fin: true, opcode: .text, maskKey: .random(), data: ByteBuffer(string: "ping")))
                    for await _ in echoed { break }

                    try await cluster.end(ending, on: 1, using: other)

                    let code = await value(of: closeCode, within: .seconds(5))
                    #expect(code == .some(.unknown(4401)), "the browser's socket got Close 4401 session ended")
                    let cut = await value(of: eventsEnded, within: .seconds(5))
                    #expect(cut == true, "the event stream was cut off")
                }
                #expect(try await cluster.openEvents(on: 0).status == .unauthorized, "a reconnect meets 401")
            }
        }
    }

    @Test("ending another device through the sessions API: its cookie is 401 on all three replicas at once, though each had it cached, and its refresh token is revoked")
    func endOneAcrossReplicas() async throws {
        try await withReplicas { cluster in
            let other = try await cluster.login()
            let (warm, _) = try await cluster.storm(calls: 6)
            #expect(warm == [200: 6], "each replica has read (and cached) the session")
            #expect(await cluster.provider.liveRefreshTokenCount(subject: DevOpenIDProvider.User.demo.subject) == 2)
            try await cluster.end(.sessionsAPI, on: 1, using: other)
            let (after, _) = try await cluster.storm(calls: 6)
            #expect(after == [401: 6], "no replica serves the ended session from its cache")
            #expect(await cluster.provider.liveRefreshTokenCount(subject: DevOpenIDProvider.User.demo.subject) == 1)
        }
    }

    /// The task's value, or `nil` when it takes longer than `limit` (it is then cancelled).
    private func value<T: Sendable>(of task: Task<T, any Error>, within limit: Duration) async -> T? {
        let late = TimedOut()
        let timer = Task {
            try await Task.sleep(for: limit)
            late.flag.store(true, ordering: .sequentiallyConsistent)
            task.cancel()
        }
        defer { timer.cancel() }
        let value = try? await task.value
        return late.flag.load(ordering: .sequentiallyConsistent) ? nil : value
    }
}

private final class TimedOut: Sendable {
    let flag = Atomic(false)
}

extension ReplicaCluster {
    /// `GET /api/endless-events` on replica `index` with the session.
    func openEvents(on index: Int) async throws -> HTTPClientResponse {
        var request = HTTPClientRequest(url: urls[index] + "/api/endless-events")
        request.headers.add(name: "Cookie", value: "gatehouse=\(cookie)")
        request.headers.add(name: "X-CSRF", value: "1")
        return try await http.execute(request, timeout: .seconds(60))
    }

    /// Signs the demo user in again in a browser of its own; its session cookie.
    func login() async throws -> String {
        let browser = TestBrowser()
        do {
            let login = try await browser.get(publicURL + "/bff/login")
            let page = try await browser.get(try #require(login.location))
            let requestID = try #require(GatehouseHarness.hiddenField("request_id", in: page.body))
            let toCallback = try await browser.post(
                try #require(login.location?.components(separatedBy: "/authorize").first) + "/authorize",
                form: [("request_id", requestID), ("username", "demo"), ("password", "demo"), ("action", "login")]
            )
            _ = try await browser.get(try #require(toCallback.location))
            let cookie = try #require(browser.cookies(for: publicURL)["gatehouse"])
            try await browser.shutdown()
            return cookie
        } catch {
            try? await browser.shutdown()
            throw error
        }
    }

    /// Ends the cluster's session on replica `index`.
    func end(_ ending: StreamsFollowSessionTests.Ending, on index: Int, using other: String?) async throws {
        switch ending {
        case .logout:
            var logout = HTTPClientRequest(url: urls[index] + "/bff/logout")
            logout.method = .POST
            logout.headers.add(name: "Cookie", value: "gatehouse=\(cookie)")
            logout.headers.add(name: "X-CSRF", value: "1")
            #expect(try await http.execute(logout, timeout: .seconds(30)).status == .ok)
        case .backchannelLogout:
            let token = try await provider.makeLogoutToken(clientID: "storm", sub: DevOpenIDProvider.User.demo.subject)
            var request = HTTPClientRequest(url: urls[index] + "/bff/backchannel-logout")
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(string: "logout_token=" + token))
            #expect(try await http.execute(request, timeout: .seconds(30)).status == .ok)
        case .sessionsAPI:
            let other = try #require(other)
            var list = HTTPClientRequest(url: urls[index] + "/bff/sessions")
            list.headers.add(name: "Cookie", value: "gatehouse=\(other)")
            list.headers.add(name: "X-CSRF", value: "1")
            let body = try await http.execute(list, timeout: .seconds(30)).body.collect(upTo: 1 << 20)
            let sessions = (try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any])?["sessions"] as? [[String: Any]] ?? []
            let handle = try #require(sessions.first { $0["current"] as? Bool == false }?["id"] as? String)
            var delete = HTTPClientRequest(url: urls[index] + "/bff/sessions/" + handle)
            delete.method = .DELETE
            delete.headers.add(name: "Cookie", value: "gatehouse=\(other)")
            delete.headers.add(name: "X-CSRF", value: "1")
            #expect(try await http.execute(delete, timeout: .seconds(30)).status == .noContent)
        }
    }
}

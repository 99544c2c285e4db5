package import Foundation
package import NIOCore
package import NIOHTTP1
package import NIOPosix
package import NIOWebSocket
import Synchronization

/// Opens a WebSocket to an upstream (`ws://` or `http://` URL) with the
/// headers Gatehouse chooses. Never follows redirects; `timeout` covers the
/// TCP connect and the handshake. Also the browser stand-in of the tests.
package enum WebSocketUpstream {
    package enum Failure: Error, Equatable, Sendable {
        case unsupportedURL
        /// The peer answered without switching protocols (its status, when one arrived).
        case refused(HTTPResponseStatus?)
        case timedOut
    }

    private enum Outcome: Sendable {
        case upgraded(NIOAsyncChannel<WebSocketFrame, WebSocketFrame>, subprotocol: String?)
        case refused(NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>)
    }

    /// The connected frame channel and the subprotocol the upstream chose.
    package static func connect(
        url: URL, headers extra: HTTPHeaders, maxFrameSize: Int, timeout: TimeAmount,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> (NIOAsyncChannel<WebSocketFrame, WebSocketFrame>, subprotocol: String?) {
        guard let host = url.host, ["ws", "http"].contains(url.scheme?.lowercased() ?? "") else { throw Failure.unsupportedURL }
        var target = url.path.isEmpty ? "/" : url.path
        if let query = url.query { target += "?" + query }
        var headers: HTTPHeaders = ["Host": url.port.map { "\(host):\($0)" } ?? host]
        headers.add(contentsOf: extra)
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: target, headers: headers)
        let timedOut = NIOLockedFlag()
        let future: EventLoopFuture<Outcome>
        do {
            future = try await ClientBootstrap(group: group).connectTimeout(timeout).connect(host: host, port: url.port ?? 80) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let upgrader = NIOTypedWebSocketClientUpgrader<Outcome>(maxFrameSize: maxFrameSize) { channel, response in
                        channel.eventLoop.makeCompletedFuture {
                            let frames = try NIOAsyncChannel<WebSocketFrame, WebSocketFrame>(wrappingChannelSynchronously: channel)
                            return Outcome.upgraded(frames, subprotocol: response.headers.first(name: "Sec-WebSocket-Protocol"))
                        }
                    }
                    var configuration = NIOUpgradableHTTPClientPipelineConfiguration(
                        upgradeConfiguration: .init(
                            upgradeRequestHead: head, upgraders: [upgrader],
                            notUpgradingCompletionHandler: { channel in
                                channel.eventLoop.makeCompletedFuture {
                                    Outcome.refused(try NIOAsyncChannel(wrappingChannelSynchronously: channel))
                                }
                            }
                        )
                    )
                    configuration.leftOverBytesStrategy = .forwardBytes
                    // The bootstrap's timeout ends at TCP; a stalled handshake is cut here.
                    let deadline = channel.eventLoop.scheduleTask(in: timeout) {
                        timedOut.set()
                        channel.close(promise: nil)
                    }
                    let upgraded = try channel.pipeline.syncOperations.configureUpgradableHTTPClientPipeline(configuration: configuration)
                    upgraded.whenComplete { _ in deadline.cancel() }
                    return upgraded
                }
            }
        } catch let error as ChannelError {
            if case .connectTimeout = error { throw Failure.timedOut }
            throw error
        }
        let outcome: Outcome
        do {
            outcome = try await future.get()
        } catch {
            if timedOut.isSet { throw Failure.timedOut }
            throw error
        }
        switch outcome {
        case .upgraded(let frames, let subprotocol):
            return (frames, subprotocol)
        case .refused(let http):
            let status = try? await http.executeThenClose { inbound, _ -> HTTPResponseStatus? in
                for try await part in inbound {
                    if case .head(let head) = part { return head.status }
                }
                return nil
            }
            throw Failure.refused(status ?? nil)
        }
    }
}

/// A flag set once from an event loop and read later.
private final class NIOLockedFlag: Sendable {
    private let value = Atomic<Bool>(false)
    func set() { value.store(true, ordering: .relaxed) }
    var isSet: Bool { value.load(ordering: .relaxed) }
}

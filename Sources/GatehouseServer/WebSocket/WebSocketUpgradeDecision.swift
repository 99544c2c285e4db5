import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOWebSocket

/// What to do with a request that asks for a WebSocket upgrade.
enum WebSocketUpgradeDecision: Sendable {
    /// Answer with this status (no 101) and close.
    case refuse(HTTPResponse.Status)
    /// Switch protocols with these extra headers, then run `relay` on the browser's frames.
    case upgrade(HTTPHeaders, relay: @Sendable (WebSocketFrameChannel) async -> Void)
}

/// A WebSocket connection as a stream of frames, after the upgrade.
typealias WebSocketFrameChannel = NIOAsyncChannel<WebSocketFrame, WebSocketFrame>

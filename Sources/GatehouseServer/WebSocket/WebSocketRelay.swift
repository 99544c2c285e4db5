import Logging
import NIOCore
import NIOWebSocket
import ServiceLifecycle

/// Pumps frames between the browser and the upstream until either side
/// closes: text, binary, continuation, ping and pong pass unchanged, and a
/// Close frame passes with its code and reason. Frames towards the upstream
/// are masked (Gatehouse is its client); frames towards the browser are not.
///
/// A relay on a session ends with its session: when `sessionEnded` returns, the browser gets
/// Close 4401 `session ended` and the upstream Close 1001.
enum WebSocketRelay {
    /// The close code a browser gets when the session its socket was opened on has ended.
    static let sessionEndedCode = WebSocketErrorCode(codeNumber: 4401)

    static func run(
        browser: WebSocketFrameChannel, upstream: WebSocketFrameChannel, closeTimeout: Duration = .seconds(5), logger: Logger,
        sessionEnded: (@Sendable () async -> Void)? = nil
    ) async {
        do {
            try await browser.executeThenClose { browserIn, browserOut in
                try await upstream.executeThenClose { upstreamIn, upstreamOut in
                    await withGracefulShutdownHandler {
                        await withTaskGroup(of: Void.self) { group in
                            group.addTask { await pump(browserIn, to: upstreamOut, masking: true) }
                            group.addTask { await pump(upstreamIn, to: browserOut, masking: false) }
                            if let sessionEnded {
                                group.addTask {
                                    await sessionEnded()
                                    guard !Task.isCancelled else { return }
                                    try? await browserOut.write(closeFrame(sessionEndedCode, reason: "session ended", masked: false))
                                    try? await upstreamOut.write(closeFrame(.goingAway, masked: true))
                                }
                            }
                            // One side closed (or vanished); give the other a moment to answer its Close.
                            _ = await group.next()
                            group.addTask { try? await Task.sleep(for: closeTimeout) }
                            _ = await group.next()
                            group.cancelAll()
                        }
                    } onGracefulShutdown: {
                        Task {
                            try? await upstreamOut.write(closeFrame(.goingAway, masked: true))
                            try? await browserOut.write(closeFrame(.goingAway, masked: false))
                        }
                    }
                }
            }
        } catch {
            logger.debug("websocket relay ended", metadata: ["gatehouse.error": "\(String(describing: type(of: error)))"])
        }
    }

    private static func pump(
        _ inbound: NIOAsyncChannelInboundStream<WebSocketFrame>, to outbound: NIOAsyncChannelOutboundWriter<WebSocketFrame>, masking: Bool
    ) async {
        do {
            for try await frame in inbound {
                // Extensions are never negotiated on either hop, so RSV bits are not carried over.
                try await outbound.write(WebSocketFrame(fin: frame.fin, opcode: frame.opcode, maskKey: masking ? .random() : nil, data: frame.unmaskedData))
                if frame.opcode == .connectionClose { return }
            }
        } catch {}
        // The peer went away without a Close: tell the other side.
        try? await outbound.write(closeFrame(.goingAway, masked: masking))
    }

    static func closeFrame(_ code: WebSocketErrorCode, reason: String = "", masked: Bool) -> WebSocketFrame {
        var buffer = ByteBuffer()
        buffer.write(webSocketErrorCode: code)
        buffer.writeString(reason)
        return WebSocketFrame(fin: true, opcode: .connectionClose, maskKey: masked ? .random() : nil, data: buffer)
    }
}

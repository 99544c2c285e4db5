import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// ``RequestHeadGuard``'s checks for one HTTP/2 stream, in the stream's pipeline before
/// Hummingbird reads it: a target that is not canonical (``RequestTarget``) is 400, more than
/// `limits.max_header_count` fields 431; the refusal ends the stream, not the connection.
///
/// The head's size is bounded by HTTP/2's own `SETTINGS_MAX_HEADER_LIST_SIZE` (swift-nio-http2
/// advertises 16 KiB), and slow or idle connections by the connection manager's idle timeout.
final class HTTP2StreamGuard: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundOut = HTTPResponsePart

    private let maxHeaderCount: Int
    private var refused = false

    init(maxHeaderCount: Int) {
        self.maxHeaderCount = maxHeaderCount
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !refused else { return }
        guard case .head(let head) = unwrapInboundIn(data) else {
            context.fireChannelRead(data)
            return
        }
        // Pseudo-header fields are not in `headerFields`; count them as the HTTP/1 guard counts Host.
        // A browser sends one `cookie` field per cookie over HTTP/2 (RFC 9113 §8.2.3): they count
        // as the one Cookie header HTTP/1.1 would have.
        let cookies = head.headerFields[values: .cookie].count
        if head.headerFields.count - max(cookies - 1, 0) + 1 > maxHeaderCount {
            refuse(.tooManyHeaders, context)
        } else if let problem = RequestTarget.problem(in: head.path ?? "") {
            // CONNECT and other requests without :path are not origin-form either.
            refuse(.badTarget(problem), context)
        } else {
            context.fireChannelRead(data)
        }
    }

    private func refuse(_ refusal: GuardRefusal, _ context: ChannelHandlerContext) {
        refused = true
        let body = context.channel.allocator.buffer(string: refusal.body)
        var fields = HTTPFields()
        for (name, value) in refusal.headers { fields[HTTPField.Name(name)!] = value }
        fields[.contentLength] = String(body.readableBytes)
        let head = HTTPResponse(status: .init(code: Int(refusal.status.code)), headerFields: fields)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(body)), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in context.close(promise: nil) }
    }
}

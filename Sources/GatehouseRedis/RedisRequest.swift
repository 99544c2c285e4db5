package import NIOCore

/// One encoded command on its way to the channel handler, with the promise
/// its reply completes.
struct RedisRequest: Sendable {
    var encoded: ByteBuffer
    var promise: EventLoopPromise<RedisReply>
}

import NIOCore

/// A deadline's action for `EventLoop.scheduleCallback`, which, unlike `scheduleTask`, makes no
/// promise and future per timer: the proxy sets three per request (the browser connection's
/// head or keep-alive deadline, the upstream call's timeout, the pooled connection's idle
/// timeout), and their futures cost about 4 % of a proxied request's instructions.
struct ScheduledAction: NIOScheduledCallbackHandler, Sendable {
    let action: @Sendable () -> Void

    func handleScheduledCallback(eventLoop: some EventLoop) {
        action()
    }
}

extension EventLoop {
    /// Runs `action` on this loop after `amount`, unless cancelled; nil when the loop is shutting down.
    func schedule(in amount: TimeAmount, _ action: @escaping @Sendable () -> Void) -> NIOScheduledCallback? {
        try? scheduleCallback(in: amount, handler: ScheduledAction(action: action))
    }

    /// Runs `action` on this loop at `deadline`, unless cancelled; nil when the loop is shutting down.
    func schedule(at deadline: NIODeadline, _ action: @escaping @Sendable () -> Void) -> NIOScheduledCallback? {
        try? scheduleCallback(at: deadline, handler: ScheduledAction(action: action))
    }
}

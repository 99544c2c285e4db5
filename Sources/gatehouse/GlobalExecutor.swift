import CGlobalExecutorHook
import NIOCore
import NIOPosix

/// Runs Swift concurrency's global executor on NIO's event loops, so a proxied request's awaits
/// (session, refresh, upstream) continue on the loop that carries its sockets instead of hopping
/// to Dispatch's pool and back (two thread switches per await under load).
///
/// swift-nio has `unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor` for
/// this, but it is not used, for two reasons measured with callgrind on a proxied request:
/// - it finds the runtime's hook with `dlsym`, which cannot see it in a `--static-swift-stdlib`
///   binary (the image's: the static runtime is linked with `--exclude-libs ALL`), so there it
///   quietly did nothing; here the linker resolves the hook's address in both kinds of build;
/// - it runs each job isolated to the loop's *serial* executor, so every call into a nonisolated
///   async function (nearly all of them) is an executor switch the runtime cannot take in place:
///   72 re-enqueued jobs per proxied request, +46 % instructions. A global-executor job belongs
///   on the generic executor, as Dispatch runs it; then an await that does not suspend stays put.
enum GlobalExecutor {
    /// The runtime's signature: the job, and the original enqueue (unused: every job goes to a
    /// loop). Delayed jobs (`Task.sleep`, timeouts) have a hook of their own, left alone: they wake
    /// on Dispatch's pool and continue on a loop at their next enqueue.
    private typealias EnqueueHook = @convention(thin) (UnownedJob, @convention(thin) (UnownedJob) -> Void) -> Void

    /// Where tasks run, for the start-up log line: `event-loops`, or `dispatch` when the hook was taken.
    nonisolated(unsafe) private(set) static var placement = "dispatch"

    /// Installs the hook; false when something else already installed one (then nothing changes).
    /// Must run before the first task starts.
    static func installEventLoops() -> Bool {
        // The hook's signature is runtime ABI, checked for the toolchains up to the one this is
        // built with (as swift-nio guards its own); a newer one keeps Dispatch until checked.
        #if compiler(<6.6)
        let hook: EnqueueHook = { job, _ in
            // Sticky: on a loop thread `any()` is that loop, so a continuation stays where it is.
            MultiThreadedEventLoopGroup.singleton.any().execute { runJob(job, genericExecutor) }
        }
        // A plain store: this runs in `main` before any task exists, so nothing reads the hook yet.
        let slot = gatehouse_swift_task_enqueueGlobal_hook()
        guard slot.pointee == nil else { return false }
        slot.pointee = unsafeBitCast(hook, to: UnsafeMutableRawPointer.self)
        placement = "event-loops"
        return true
        #else
        return false
        #endif
    }
}

/// The runtime's generic executor (`SerialExecutorRef::generic()`: no identity, no witness table).
private let genericExecutor = unsafeBitCast((UInt(0), UInt(0)), to: UnownedSerialExecutor.self)

/// Runs a job on the current thread with the given executor as its isolation: what Dispatch's
/// global executor does with each job it dequeues.
@_silgen_name("swift_job_run")
private func runJob(_ job: UnownedJob, _ executor: UnownedSerialExecutor)

import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// The process entry point.
@main
enum GatehouseMain {
    static func main() {
        // Swift concurrency then runs on the NIO event loops that already carry the
        // sockets. Must happen before any task starts. Blocking work keeps to NIO's
        // thread pool (static files) or to start-up.
        _ = GlobalExecutor.installEventLoops()
        Task {
            await Gatehouse.runFromCommandLine()
            exit(0)
        }
        dispatchMain()
    }
}

import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A child process for tests (`redis-server`, `openssl`, the `gatehouse` binary), started with
/// `posix_spawn`.
///
/// Not Foundation's `Process`: on Linux its `run()` lists `/proc/self/fd` to close every inherited
/// descriptor in the child, copying each directory entry's full 256-byte name out of the
/// directory buffer. With the ~1,400 sockets the parallel suite holds open, an entry near the
/// buffer's end makes that copy read past it, and a CI run died of SIGSEGV. Here the child
/// closes every descriptor from 3 up in one `posix_spawn_file_actions_addclosefrom_np` action.
package final class ChildProcess: Sendable {
    /// Why a child could not be started.
    package struct SpawnError: Error, CustomStringConvertible {
        package let description: String
    }

    package let processIdentifier: Int32
    /// The raw `waitpid` status once the child has been reaped.
    private let reaped = Mutex<Int32?>(nil)

    /// Starts `executable` with `arguments` and this process's environment. Standard input is
    /// `/dev/null`; standard output and error go to the file at `outputPath` (appended), or to
    /// `/dev/null` without one.
    package init(executable: String, arguments: [String], outputPath: String? = nil) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath ?? "/dev/null", O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        if let closeFrom = Self.closeFrom {
            _ = closeFrom(&actions, 3)
        }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        let result = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard result == 0 else {
            throw SpawnError(description: "could not start \(executable): \(String(cString: strerror(result)))")
        }
        processIdentifier = pid
    }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34+); Swift's Glibc module does not
    /// declare it (it is under `_GNU_SOURCE`), so it is looked up by name.
    private static var closeFrom: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? {
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
    }

    /// Whether the child still runs (reaps it, without waiting, once it has ended).
    package var isRunning: Bool {
        reaped.withLock { status in
            guard status == nil else { return false }
            var raw: Int32 = 0
            let result = waitpid(processIdentifier, &raw, WNOHANG)
            if result == processIdentifier || (result < 0 && errno == ECHILD) { status = raw }
            return status == nil
        }
    }

    /// The exit code, or 128 + the signal's number for a child a signal ended (as a shell says).
    /// Only meaningful once `isRunning` is false.
    package var terminationStatus: Int32 {
        let raw = reaped.withLock { $0 } ?? 0
        let signal = raw & 0x7f
        return signal == 0 ? (raw >> 8) & 0xff : 128 + signal
    }

    package func signal(_ signal: Int32) {
        if isRunning { _ = kill(processIdentifier, signal) }
    }

    package func terminate() { signal(SIGTERM) }

    /// Waits, for at most `limit`, until the child has ended; returns whether it did.
    @discardableResult
    package func waitForExit(limit: Duration) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while isRunning {
            guard ContinuousClock.now < deadline else { return false }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return true
    }

    /// Kills the child (SIGKILL) and reaps it on a thread of its own, so no zombie is left and
    /// no caller's thread waits.
    package func killAndReap() {
        guard isRunning else { return }
        _ = kill(processIdentifier, SIGCONT)
        _ = kill(processIdentifier, SIGKILL)
        let child = processIdentifier
        Thread.detachNewThread {
            var raw: Int32 = 0
            _ = waitpid(child, &raw, 0)
        }
    }
}

package import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A real `redis-server` for tests: started on a free loopback port in its own
/// temporary directory, stopped (and the directory removed) by `stop()`.
///
/// When `redis-server` is not installed, `start` throws an error that names the
/// Debian package, so the test fails loudly instead of skipping.
package final class RedisServer: @unchecked Sendable {
    /// Why a test Redis could not be provided.
    package struct LaunchError: Error, CustomStringConvertible {
        package let description: String
    }

    package let port: Int
    package let directory: URL
    private let arguments: [String]
    private var process: ChildProcess?
    private let lock = NSLock()

    /// `redis://` (or `rediss://` with TLS) URL for this server, with credentials when it has them.
    package let url: String
    /// With TLS: the PEM file of the throwaway CA that signed the server's certificate.
    package let caFile: String?

    private init(port: Int, directory: URL, arguments: [String], url: String, caFile: String? = nil) {
        self.port = port
        self.directory = directory
        self.arguments = arguments
        self.url = url
        self.caFile = caFile
    }

    /// Starts a server. `password` alone sets `requirepass`; with `user` it adds
    /// an ACL user that may do everything.
    /// With `replicaOf`, a replica of the server on that loopback port; with `cluster`, a node of a
    /// Redis Cluster still to be formed (``RedisClusterSetup`` does).
    package static func start(user: String? = nil, password: String? = nil, tls: Bool = false, replicaOf: Int? = nil, cluster: Bool = false) async throws -> RedisServer {
        guard let executable = findExecutable("redis-server") else {
            throw LaunchError(description: "redis-server is not installed: apt-get install redis-server (Deploy/scripts/setup-deps.sh does it)")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-redis-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let port = try freeLoopbackPort()
        var arguments = [
            "--port", String(port), "--bind", "127.0.0.1", "--dir", directory.path,
            "--save", "", "--appendonly", "no", "--daemonize", "no", "--protected-mode", "yes",
            "--logfile", directory.appendingPathComponent("redis.log").path,
        ]
        if let replicaOf { arguments += ["--replicaof", "127.0.0.1", String(replicaOf)] }
        if cluster {
            arguments += [
                "--cluster-enabled", "yes", "--cluster-config-file", directory.appendingPathComponent("nodes.conf").path,
                "--cluster-node-timeout", "1000",
                // The bus would default to port + 10000, which another test may hold: a port of its own.
                "--cluster-port", String(try freeLoopbackPort()),
            ]
        }
        var url = "redis://127.0.0.1:\(port)/0"
        var caFile: String?
        if tls {
            let files = try makeCertificates(in: directory)
            caFile = files.ca
            arguments[1] = "0"
            arguments += [
                "--tls-port", String(port), "--tls-cert-file", files.cert, "--tls-key-file", files.key,
                "--tls-ca-cert-file", files.ca, "--tls-auth-clients", "no",
            ]
            url = "rediss://localhost:\(port)/0"
        }
        switch (user, password) {
        case (let user?, let password?):
            arguments += ["--user", user, "on", ">\(password)", "~*", "&*", "+@all", "--user", "default", "off"]
            url = "redis://\(user):\(password)@127.0.0.1:\(port)/0"
        case (nil, let password?):
            arguments += ["--requirepass", password]
            url = "redis://:\(password)@127.0.0.1:\(port)/0"
        default: break
        }
        let server = RedisServer(port: port, directory: directory, arguments: [executable] + arguments, url: url, caFile: caFile)
        try await server.launch()
        return server
    }

    /// A `redis-sentinel` (Debian package `redis-sentinel`; else `redis-server --sentinel`)
    /// watching the master on `masterPort` as `name`, quorum 2, down after 1 s.
    package static func startSentinel(monitoring masterPort: Int, name: String) async throws -> RedisServer {
        let sentinel = findExecutable("redis-sentinel")
        guard let executable = sentinel ?? findExecutable("redis-server") else {
            throw LaunchError(description: "redis-sentinel is not installed: apt-get install redis-sentinel (Deploy/scripts/setup-deps.sh does it)")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-sentinel-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let port = try freeLoopbackPort()
        // The sentinel rewrites its file as it learns the topology, so it lives in the temp directory.
        let file = directory.appendingPathComponent("sentinel.conf")
        try """
            port \(port)
            bind 127.0.0.1
            daemonize no
            dir \(directory.path)
            logfile \(directory.appendingPathComponent("redis.log").path)
            sentinel monitor \(name) 127.0.0.1 \(masterPort) 2
            sentinel down-after-milliseconds \(name) 1000
            sentinel failover-timeout \(name) 5000
            sentinel parallel-syncs \(name) 1

            """.write(to: file, atomically: true, encoding: .utf8)
        let arguments = [executable, file.path] + (sentinel == nil ? ["--sentinel"] : [])
        let server = RedisServer(port: port, directory: directory, arguments: arguments, url: "redis://127.0.0.1:\(port)")
        try await server.launch()
        return server
    }

    /// Starts the server again on the same port; one still running is killed first (a second
    /// one could not bind the port, and the first would outlive the test).
    package func restart() async throws {
        if lock.withLock({ process?.isRunning ?? false }) { await kill() }
        try await launch()
    }

    /// Kills the server at once (SIGKILL), like a crash, and waits (bounded,
    /// without blocking a thread) until it is gone.
    package func kill() async {
        signal(SIGKILL)
        await lock.withLock { process }?.waitForExit(limit: .seconds(5))
        lock.withLock { process = nil }
    }

    /// Freezes the server (SIGSTOP): connections stay open, nothing answers.
    package func pause() { signal(SIGSTOP) }

    /// Thaws a paused server (SIGCONT).
    package func resume() { signal(SIGCONT) }

    /// Stops the server and removes its directory.
    package func stop() {
        lock.withLock { process }?.killAndReap()
        lock.withLock { process = nil }
        try? FileManager.default.removeItem(at: directory)
    }

    deinit {
        process?.killAndReap()
    }

    private func signal(_ signal: Int32) {
        lock.withLock { process }?.signal(signal)
    }

    private func launch() async throws {
        let process = try ChildProcess(executable: arguments[0], arguments: Array(arguments.dropFirst()))
        lock.withLock { self.process = process }
        // Bounded wait for the port to accept connections.
        for _ in 0..<250 {
            if Self.canConnect(port: port) { return }
            if !process.isRunning { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        let log = (try? String(contentsOf: directory.appendingPathComponent("redis.log"), encoding: .utf8)) ?? ""
        throw LaunchError(description: "redis-server did not start on port \(port): \(log.suffix(400))")
    }

    /// A CA and a server certificate for `localhost`/127.0.0.1, made with the openssl CLI.
    package static func makeCertificates(in directory: URL) throws -> (ca: String, cert: String, key: String) {
        guard let openssl = findExecutable("openssl") else {
            throw LaunchError(description: "openssl is not installed: apt-get install openssl")
        }
        let path = { (name: String) in directory.appendingPathComponent(name).path }
        try "subjectAltName=DNS:localhost,IP:127.0.0.1\n".write(toFile: path("san.cnf"), atomically: true, encoding: .utf8)
        let steps: [[String]] = [
            ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", path("ca.key"), "-out", path("ca.pem"), "-days", "1", "-subj", "/CN=Gatehouse test CA"],
            ["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", path("server.key"), "-out", path("server.csr"), "-subj", "/CN=localhost"],
            ["x509", "-req", "-in", path("server.csr"), "-CA", path("ca.pem"), "-CAkey", path("ca.key"), "-CAcreateserial", "-out", path("server.pem"), "-days", "1", "-extfile", path("san.cnf")],
        ]
        for step in steps {
            let process = try ChildProcess(executable: openssl, arguments: step)
            for _ in 0..<2_000 where process.isRunning { usleep(5_000) }  // openssl ends in milliseconds
            guard !process.isRunning, process.terminationStatus == 0 else { throw LaunchError(description: "openssl \(step[0]) failed") }
        }
        return (path("ca.pem"), path("server.pem"), path("server.key"))
    }

    /// A client certificate (CN `gatehouse-client`) signed by the CA ``makeCertificates(in:)`` left
    /// in `directory`, for mutual TLS.
    package static func makeClientCertificate(in directory: URL) throws -> (cert: String, key: String) {
        guard let openssl = findExecutable("openssl") else {
            throw LaunchError(description: "openssl is not installed: apt-get install openssl")
        }
        let path = { (name: String) in directory.appendingPathComponent(name).path }
        let steps: [[String]] = [
            ["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", path("client.key"), "-out", path("client.csr"), "-subj", "/CN=gatehouse-client"],
            ["x509", "-req", "-in", path("client.csr"), "-CA", path("ca.pem"), "-CAkey", path("ca.key"), "-CAcreateserial", "-out", path("client.pem"), "-days", "1"],
        ]
        for step in steps {
            let process = try ChildProcess(executable: openssl, arguments: step)
            for _ in 0..<2_000 where process.isRunning { usleep(5_000) }
            guard !process.isRunning, process.terminationStatus == 0 else { throw LaunchError(description: "openssl \(step[0]) failed") }
        }
        return (path("client.pem"), path("client.key"))
    }

    static func findExecutable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let directories = path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/sbin", "/usr/local/bin"]
        return directories.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}

/// A TCP port on 127.0.0.1 that was free a moment ago, chosen below the
/// kernel's ephemeral range: a port from that range can be taken by any
/// outgoing connection between this check and the server's bind.
///
/// A port is handed out once per test process: tests run in parallel, and two
/// of them picking the same free port before either binds it would collide.
package func freeLoopbackPort() throws -> Int {
    for _ in 0..<64 {
        let candidate = Int.random(in: 20_000..<32_000)
        guard handedOutPorts.withLock({ $0.insert(candidate).inserted }) else { continue }
        if isFreeLoopbackPort(candidate) { return candidate }
    }
    return try ephemeralLoopbackPort()
}

private let handedOutPorts = Mutex<Set<Int>>([])

/// Whether binding 127.0.0.1:`port` succeeds right now.
func isFreeLoopbackPort(_ port: Int) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    var address = loopbackAddress(port: port)
    return withSocketAddress(&address) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } == 0
}

/// A port the kernel picks (from its ephemeral range), as a last resort.
func ephemeralLoopbackPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw RedisServer.LaunchError(description: "socket() failed") }
    defer { close(fd) }
    var address = loopbackAddress(port: 0)
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    guard withSocketAddress(&address, { bind(fd, $0, length) }) == 0 else { throw RedisServer.LaunchError(description: "bind() failed") }
    _ = withSocketAddress(&address) { getsockname(fd, $0, &length) }
    return Int(UInt16(bigEndian: address.sin_port))
}

extension RedisServer {
    static func canConnect(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = loopbackAddress(port: port)
        return withSocketAddress(&address) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } == 0
    }
}

/// 127.0.0.1:`port` as a socket address.
private func loopbackAddress(port: Int) -> sockaddr_in {
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    return address
}

/// `address` as the generic `sockaddr` pointer that bind, connect and getsockname take.
private func withSocketAddress<R>(_ address: inout sockaddr_in, _ body: (UnsafeMutablePointer<sockaddr>) -> R) -> R {
    withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1, body) }
}

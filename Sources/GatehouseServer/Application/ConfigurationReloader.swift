package import GatehouseSessions
package import Logging
import NIOSSL
import Synchronization

/// Applies a new configuration file to a running Gatehouse (`SIGHUP`): the route table and their
/// `require` rules, the session encryption keys and the log level. An invalid file changes nothing;
/// its problems are logged with their key paths, never a value. Keys only a restart applies are
/// logged as such and keep their old value. Open connections are untouched.
package final class ConfigurationReloader: Sendable {
    /// Reads and validates the file again, as `serve` did at start.
    private let load: @Sendable () throws(ConfigurationError) -> GatehouseConfiguration
    private let inForce: Mutex<GatehouseConfiguration>
    private let routes: LiveRoutes
    /// Re-reads routes' upstream TLS files (a rotated client certificate) from the next connection on.
    private let upstreams: UpstreamClient?
    private let vault: SessionVault
    private let logLevel: LogLevelControl?
    private let webSocketsEnabled: Bool
    private let tls: ListenerTLS?
    private let metrics: GatehouseMetrics
    private let logger: Logger

    package init(
        configuration: GatehouseConfiguration, load: @escaping @Sendable () throws(ConfigurationError) -> GatehouseConfiguration,
        routes: LiveRoutes, vault: SessionVault, logLevel: LogLevelControl?, webSocketsEnabled: Bool, tls: ListenerTLS? = nil,
        upstreams: UpstreamClient? = nil, metrics: GatehouseMetrics, logger: Logger
    ) {
        self.inForce = Mutex(configuration)
        self.load = load
        self.routes = routes
        self.upstreams = upstreams
        self.vault = vault
        self.logLevel = logLevel
        self.webSocketsEnabled = webSocketsEnabled
        self.tls = tls
        self.metrics = metrics
        self.logger = logger
    }

    /// The configuration in force: the start one with every reload's reloadable keys.
    package var configuration: GatehouseConfiguration {
        inForce.withLock { $0 }
    }

    /// Reloads once. Reloads are serialised, so two signals in a row apply in order.
    @discardableResult
    package func reload() -> Result<ReloadPlan, ConfigurationError> {
        inForce.withLock { current in
            let outcome = prepare(from: current)
            switch outcome {
            case .success(let (plan, cipher, context)):
                commit(plan, cipher: cipher, tls: context)
                current = plan.result
                metrics.configReload(.ok)
            case .failure(let error):
                for problem in error.problems {
                    logger.error("configuration reload refused", metadata: [
                        "gatehouse.event": EventName.configReloadFailed, "gatehouse.key": "\(problem.keyPath)", "gatehouse.problem": "\(problem.message)",
                    ])
                }
                metrics.configReload(.failed)
            }
            return outcome.map(\.0)
        }
    }

    /// Everything that can fail, before anything changes: the file, the new keys, and the TLS files
    /// (re-read on every reload, so a certificate renewed under the same paths is picked up).
    private func prepare(from current: GatehouseConfiguration) -> Result<(ReloadPlan, SessionCipher?, NIOSSLContext?), ConfigurationError> {
        let new: GatehouseConfiguration
        do {
            new = try load()
        } catch {
            return .failure(error)
        }
        let plan = ReloadPlan(from: current, to: new, webSocketsEnabled: webSocketsEnabled)
        var context: NIOSSLContext?
        if tls != nil, let settings = plan.result.tls {
            do {
                context = try settings.makeContext()
            } catch {
                return .failure(ConfigurationError(problems: [ConfigProblem(keyPath: "tls.\(error.key)", message: error.message)]))
            }
        }
        guard plan.applied.contains("session.encryption_keys") else { return .success((plan, nil, context)) }
        do {
            let cipher = try SessionCipher(keys: new.session.encryptionKeys.map { try SessionCipherKey(bytes: $0.value) })
            return .success((plan, cipher, context))
        } catch {
            return .failure(ConfigurationError(problems: [ConfigProblem(keyPath: "session.encryption_keys", message: "not usable as AES-256 keys")]))
        }
    }

    private func commit(_ plan: ReloadPlan, cipher: SessionCipher?, tls context: NIOSSLContext?) {
        if let context, let settings = plan.result.tls { tls?.replace(with: context, settings: settings) }
        if plan.applied.contains("routes") {
            let table = RouteTable(plan.result.routes)
            metrics.declare(requestRoutes: RequestLabel.all(routes: table), upstreamRoutes: table.prefixes)
            routes.replace(with: table)
        }
        if let cipher { vault.replaceCipher(with: cipher) }
        upstreams?.forgetTLSContexts()
        logLevel?.level = plan.result.log.level
        for key in plan.needsRestart {
            logger.warning("configuration key changed; it applies after a restart", metadata: [
                "gatehouse.event": EventName.configRestartNeeded, "gatehouse.key": "\(key)",
            ])
        }
        logger.info("configuration reloaded", metadata: [
            "gatehouse.event": EventName.configReloaded, "gatehouse.changed": "\(plan.applied.joined(separator: ","))",
        ])
    }
}

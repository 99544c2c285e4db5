import GatehouseSessions
import NIOCore
import NIOSSL

/// The sentinels of one master (`redis+sentinel://`): where the master is now, and connections
/// on which to hear that it moved.
///
/// Sentinels are asked in the configured order; one that is down, does not know the name or
/// answers with an error is skipped. A sentinel that asks for authentication (`NOAUTH`) gets the
/// URL's credentials; one that does not is not sent them.
struct RedisSentinels: Sendable {
    let masterName: String
    let sentinels: [RedisURL.Address]
    let endpoint: RedisEndpoint
    let timeouts: RedisConfiguration.Timeouts
    let tls: NIOSSLContext?

    init?(_ configuration: RedisConfiguration, tls: NIOSSLContext?) {
        guard case .sentinel(let name, let sentinels) = configuration.endpoint.topology else { return nil }
        self.masterName = name
        self.sentinels = sentinels
        self.endpoint = configuration.endpoint
        self.timeouts = configuration.timeouts
        self.tls = tls
    }

    /// The master's address as the first sentinel that knows it says.
    func masterAddress(on eventLoop: any EventLoop) async throws -> RedisURL.Address {
        var reasons: [String] = []
        for sentinel in sentinels {
            do {
                let connection = try await connect(to: sentinel, on: eventLoop)
                let reply = try? await connection.send(["SENTINEL", "get-master-addr-by-name", masterName].map { Array($0.utf8) })
                await connection.close()
                guard let items = reply?.array, items.count == 2, let host = items[0].bytes, let port = items[1].bytes.flatMap({ Int(String(decoding: $0, as: UTF8.self)) })
                else {
                    reasons.append("\(sentinel) does not know the master \(masterName)")
                    continue
                }
                return RedisURL.Address(host: String(decoding: host, as: UTF8.self), port: port)
            } catch {
                reasons.append("\(sentinel): \(error)")
            }
        }
        throw RedisClientError.unavailable("no sentinel named the master: " + reasons.joined(separator: "; "))
    }

    /// A connection to the first sentinel that answers, authenticated if it asks.
    func connectToAny(on eventLoop: any EventLoop, onPush: (@Sendable (RedisReply) -> Void)? = nil) async throws -> RedisConnection {
        var reasons: [String] = []
        for sentinel in sentinels {
            do {
                return try await connect(to: sentinel, on: eventLoop, onPush: onPush)
            } catch {
                reasons.append("\(sentinel): \(error)")
            }
        }
        throw RedisClientError.unavailable("no sentinel answered: " + reasons.joined(separator: "; "))
    }

    private func connect(to sentinel: RedisURL.Address, on eventLoop: any EventLoop, onPush: (@Sendable (RedisReply) -> Void)? = nil) async throws -> RedisConnection {
        // No credentials and no database in the handshake: sentinels have neither unless they ask.
        let plain = RedisURL(host: sentinel.host, port: sentinel.port, usesTLS: endpoint.usesTLS)
        let connection = try await RedisConnection.connect(to: plain, timeouts: timeouts, tls: tls, on: eventLoop, onPush: onPush)
        do {
            if case .error(let message) = try await connection.send([Array("PING".utf8)]), message.hasPrefix("NOAUTH") {
                try await connection.authenticate(endpoint)
            }
            return connection
        } catch {
            await connection.close()
            throw error
        }
    }
}

/// Whatever carries commands to Redis: one server's pool (``RedisClient``), or a cluster's nodes
/// (``RedisClusterClient``, which routes each command by its first key).
package protocol RedisCommands: Sendable {
    /// Sends one command (name first). An error reply comes back as `.error`; connection
    /// failures throw `RedisClientError`.
    func send(_ arguments: [[UInt8]]) async throws -> RedisReply
}

extension RedisClient: RedisCommands {
    package typealias Expiry = RedisExpiry
}

/// How long `SET` keeps a value.
package enum RedisExpiry: Sendable, Hashable {
    case seconds(Int)
    case milliseconds(Int)
}

/// The commands Gatehouse's session store needs, typed. Keys and values are bytes.
extension RedisCommands {
    /// `GET key`: the value, or `nil` when the key does not exist.
    package func get(_ key: String) async throws -> [UInt8]? {
        try Self.optionalBytes(try await send([Array("GET".utf8), Array(key.utf8)]), "GET")
    }

    /// `SET key value [EX s|PX ms] [NX]`. Returns `false` when `NX` kept an existing key.
    @discardableResult
    package func set(_ key: String, to value: [UInt8], expiry: RedisExpiry? = nil, onlyIfAbsent: Bool = false) async throws -> Bool {
        var command: [[UInt8]] = [Array("SET".utf8), Array(key.utf8), value]
        switch expiry {
        case .seconds(let seconds): command += [Array("EX".utf8), Array(String(seconds).utf8)]
        case .milliseconds(let milliseconds): command += [Array("PX".utf8), Array(String(milliseconds).utf8)]
        case nil: break
        }
        if onlyIfAbsent { command.append(Array("NX".utf8)) }
        switch try await send(command) {
        case .simpleString: return true
        case .null: return false
        case .error(let message): throw RedisClientError.serverError(message)
        default: throw RedisClientError.unexpectedReply("SET")
        }
    }

    /// `GETDEL key`: takes the value once; `nil` when absent.
    package func getDel(_ key: String) async throws -> [UInt8]? {
        try Self.optionalBytes(try await send([Array("GETDEL".utf8), Array(key.utf8)]), "GETDEL")
    }

    /// `DEL key…`: how many keys were removed.
    @discardableResult
    package func del(_ keys: [String]) async throws -> Int {
        guard !keys.isEmpty else { return 0 }
        return try Self.integer(try await send([Array("DEL".utf8)] + keys.map { Array($0.utf8) }), "DEL")
    }

    /// `PEXPIRE key ms`: whether the key existed.
    @discardableResult
    package func pexpire(_ key: String, milliseconds: Int) async throws -> Bool {
        try Self.integer(try await send([Array("PEXPIRE".utf8), Array(key.utf8), Array(String(milliseconds).utf8)]), "PEXPIRE") == 1
    }

    /// `PTTL key`: milliseconds left; -1 without expiry, -2 when absent.
    package func pttl(_ key: String) async throws -> Int {
        try Self.integer(try await send([Array("PTTL".utf8), Array(key.utf8)]), "PTTL")
    }

    /// `SADD key member…`: how many were new.
    @discardableResult
    package func sadd(_ key: String, _ members: [[UInt8]]) async throws -> Int {
        try Self.integer(try await send([Array("SADD".utf8), Array(key.utf8)] + members), "SADD")
    }

    /// `SREM key member…`: how many were removed.
    @discardableResult
    package func srem(_ key: String, _ members: [[UInt8]]) async throws -> Int {
        try Self.integer(try await send([Array("SREM".utf8), Array(key.utf8)] + members), "SREM")
    }

    /// `SMEMBERS key`.
    package func smembers(_ key: String) async throws -> [[UInt8]] {
        let reply = try await send([Array("SMEMBERS".utf8), Array(key.utf8)])
        if case .error(let message) = reply { throw RedisClientError.serverError(message) }
        guard let elements = reply.array else { throw RedisClientError.unexpectedReply("SMEMBERS") }
        return try elements.map { element in
            guard case .bulkString(let bytes) = element else { throw RedisClientError.unexpectedReply("SMEMBERS") }
            return bytes
        }
    }

    /// `EVALSHA`, falling back to `EVAL` when the server does not have the
    /// script cached (after a restart or `SCRIPT FLUSH`).
    package func eval(_ script: RedisScript, keys: [String], arguments: [[UInt8]]) async throws -> RedisReply {
        let tail = [Array(String(keys.count).utf8)] + keys.map { Array($0.utf8) } + arguments
        let reply = try await send([Array("EVALSHA".utf8), Array(script.sha1.utf8)] + tail)
        if case .error(let message) = reply {
            guard message.hasPrefix("NOSCRIPT") else { throw RedisClientError.serverError(message) }
            let fallback = try await send([Array("EVAL".utf8), Array(script.source.utf8)] + tail)
            if case .error(let message) = fallback { throw RedisClientError.serverError(message) }
            return fallback
        }
        return reply
    }

    /// `PING`: succeeds when Redis answers.
    package func ping() async throws {
        let reply = try await send([Array("PING".utf8)])
        if case .error(let message) = reply { throw RedisClientError.serverError(message) }
    }

    /// `INFO server`'s `redis_version`, e.g. `7.0.15` (for `check-config --live`).
    package func serverVersion() async throws -> String {
        let reply = try await send([Array("INFO".utf8), Array("server".utf8)])
        if case .error(let message) = reply { throw RedisClientError.serverError(message) }
        guard let bytes = try Self.optionalBytes(reply, "INFO"),
              let line = String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isNewline).first(where: { $0.hasPrefix("redis_version:") })
        else { throw RedisClientError.unexpectedReply("INFO") }
        return String(line.dropFirst("redis_version:".count))
    }

    private static func optionalBytes(_ reply: RedisReply, _ command: String) throws -> [UInt8]? {
        switch reply {
        case .bulkString(let bytes): return bytes
        case .null: return nil
        case .error(let message): throw RedisClientError.serverError(message)
        default: throw RedisClientError.unexpectedReply(command)
        }
    }

    private static func integer(_ reply: RedisReply, _ command: String) throws -> Int {
        switch reply {
        case .integer(let value): return Int(value)
        case .error(let message): throw RedisClientError.serverError(message)
        default: throw RedisClientError.unexpectedReply(command)
        }
    }
}

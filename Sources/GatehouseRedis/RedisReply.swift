/// A RESP2 reply, typed. Bulk strings are binary-safe bytes.
package enum RedisReply: Sendable, Hashable {
    /// `+OK`: a status line.
    case simpleString(String)
    /// `$n`: binary-safe bytes.
    case bulkString([UInt8])
    /// `:n`
    case integer(Int64)
    /// `*n`
    case array([RedisReply])
    /// `$-1` or `*-1`: no value.
    case null
    /// `-ERR ...`: the server refused the command; the text is Redis's own.
    case error(String)
}

extension RedisReply {
    /// The bytes of a bulk or simple string; `nil` for `null`.
    package var bytes: [UInt8]? {
        switch self {
        case .bulkString(let bytes): bytes
        case .simpleString(let text): Array(text.utf8)
        default: nil
        }
    }

    /// The value as an integer, when it is one.
    package var integer: Int64? {
        if case .integer(let value) = self { return value }
        return nil
    }

    /// The elements of an array reply.
    package var array: [RedisReply]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// Whether the reply is `null`.
    package var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}

/// How much a Redis peer may make Gatehouse hold for one reply. hiredis 0.14 (Debian bookworm's)
/// has no `maxelements`, trusts every length header and grows its buffer without bound, so
/// ``RESPFrameScanner`` checks these before hiredis sees a byte: a hostile or broken
/// `redis://` peer gets a protocol error and a closed connection, never gigabytes.
struct RESPLimits: Sendable, Hashable {
    /// Elements in one array (or map/set/push). hiredis allocates the element table up front
    /// (8 bytes each); the largest arrays Gatehouse reads are one user's index and script
    /// replies of a few hundred entries, so a million is ample headroom and costs at most 8 MiB.
    var maxAggregateCount: Int = 1 << 20
    /// Bytes in one bulk string. Sealed session records are kilobytes; 32 MiB is three times the
    /// largest value the tests round-trip, and bounds what hiredis buffers for one string.
    var maxBulkBytes: Int = 32 << 20
    /// Bytes of one reply not yet complete: hiredis's unparsed buffer plus the elements it has
    /// already built. Two maximal strings, so any single legal value still fits.
    var maxPendingReplyBytes: Int = 64 << 20
    /// Bytes in one line, CRLF included: a status, error or integer line, or a length header. Redis's own are
    /// a few dozen bytes; a line that never ends would otherwise be buffered forever.
    var maxLineBytes: Int = 64 << 10
    /// Nesting of aggregates. hiredis 0.14 refuses deeper than 7 levels itself; the scanner
    /// stops at the same depth so its own stack stays bounded too.
    var maxDepth: Int = 7

    /// The limits Gatehouse uses.
    static let standard = RESPLimits()
}

import Synchronization

/// The route table in force, replaced whole by a configuration reload. A request reads it once,
/// at the first middleware, and carries that snapshot in its context: it sees the old table or
/// the new one, never a mix.
package final class LiveRoutes: Sendable {
    private let table: Mutex<RouteTable>

    package init(_ table: RouteTable) {
        self.table = Mutex(table)
    }

    /// The table now.
    package var current: RouteTable {
        table.withLock { $0 }
    }

    /// Puts `newTable` in force for every request that starts from now on.
    package func replace(with newTable: RouteTable) {
        table.withLock { $0 = newTable }
    }
}

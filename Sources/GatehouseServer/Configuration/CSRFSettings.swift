/// The CSRF defence (`csrf`): state-changing and API calls must carry this header with value `1`.
package struct CSRFSettings: Sendable, Hashable {
    /// The header's name (`csrf.header`), default `X-CSRF`.
    package var header: String

    /// Default for `csrf.header`.
    package static let defaultHeader = "X-CSRF"

    /// Creates settings; the default is that of PRODUCT.md.
    package init(header: String = Self.defaultHeader) {
        self.header = header
    }
}

/// The CSRF defence (`csrf`): state-changing and API calls must carry this header with value `1`.
public struct CSRFSettings: Sendable, Hashable {
    /// The header's name (`csrf.header`), default `X-CSRF`.
    public var header: String

    /// Default for `csrf.header`.
    public static let defaultHeader = "X-CSRF"

    /// Creates settings; the default is that of PRODUCT.md.
    public init(header: String = Self.defaultHeader) {
        self.header = header
    }
}

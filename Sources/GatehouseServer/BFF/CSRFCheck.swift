package import HTTPTypes
import Logging

/// The CSRF rule: the header, exactly `1`. A browser cannot add a custom header to a
/// cross-site form post or image load without a CORS preflight, which Gatehouse never grants.
///
/// It is applied by what matched the request — a BFF endpoint or a proxy route — never by
/// comparing path strings beside the router.
struct CSRFCheck: Sendable {
    let header: HTTPField.Name

    init(headerName: String) {
        self.header = HTTPField.Name(headerName) ?? HTTPField.Name(CSRFSettings.defaultHeader)!
    }

    /// Throws 403 unless the header is there with the value `1`.
    func require(_ fields: HTTPFields, method: HTTPRequest.Method, path: String, logger: Logger) throws {
        // One `1` and no other value (two fields would read "1, 1"): a loop, not the subscript,
        // which joins every value of the name into a new string.
        var values = 0
        var isOne = false
        for field in fields where field.name == header {
            values += 1
            isOne = field.value == "1"
        }
        guard values != 1 || !isOne else { return }
        logger.info("csrf header missing", metadata: ["gatehouse.event": EventName.csrfMissing, "gatehouse.path": "\(path)", "gatehouse.method": "\(method)"])
        throw BFFError.csrfHeaderMissing(header.rawName)
    }
}

public import HTTPTypes
public import Hummingbird

/// Requires the CSRF header, exactly `1`, on the paths that need it. A browser
/// cannot add a custom header to a cross-site form post or image load without
/// a CORS preflight, which Gatehouse never grants.
public struct CSRFMiddleware<Context: RequestContext>: RouterMiddleware {
    let headerName: HTTPField.Name
    let applies: @Sendable (Request) -> Bool

    public init(headerName: String, applies: @escaping @Sendable (Request) -> Bool) {
        self.headerName = HTTPField.Name(headerName) ?? HTTPField.Name("X-CSRF")!
        self.applies = applies
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if applies(request) && request.headers[headerName] != "1" {
            context.logger.info("csrf header missing", metadata: ["gatehouse.path": "\(request.uri.path)", "gatehouse.method": "\(request.method)"])
            throw BFFError.csrfHeaderMissing(headerName.rawName)
        }
        return try await next(request, context)
    }
}

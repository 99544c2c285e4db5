package import Hummingbird

/// Adds ``SecurityHeaders`` to every response of the routes it wraps, error responses included.
///
/// Errors conforming to `HTTPResponseError` are turned into responses here so that they carry the
/// headers too; other errors are rethrown untouched (they become a bare 500 further out).
/// Add it to the router before ``StaticFileMiddleware`` so it is the outer of the two: the static
/// middleware needs to see the router's thrown 404, not a response made from it.
package struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The headers added.
    package let headers: SecurityHeaders

    /// Creates the middleware.
    package init(_ headers: SecurityHeaders) {
        self.headers = headers
    }

    /// Runs the rest of the chain and adds the headers to what it answers.
    package func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        self.headers.apply(to: &response.headers)
        return response
    }
}

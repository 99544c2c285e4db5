import HTTPTypes
package import Hummingbird
import Tracing

/// Makes each request on the public listener a server span, continuing the browser's
/// `traceparent` when it sent one. The span is the current context while the request is handled,
/// so the store, provider and upstream spans nest under it and log lines carry its trace id.
///
/// Written here rather than taken from Hummingbird's `TracingMiddleware`, which records the query
/// string (the callback's `code` and `state`) and reads the process-global tracer. This one records
/// the route label, method, status and whether the request carried the session cookie — no path,
/// query, header value or cookie.
struct RequestSpanMiddleware: RouterMiddleware {
    typealias Context = GatehouseRequestContext

    let tracing: RequestTracing
    let routes: LiveRoutes
    let cookieName: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let label = RequestLabel.of(request.uri.path, routes: routes.current)
        let parent = tracing.context(from: request.headers)
        return try await tracing.withSpan("\(request.method.rawValue) \(label)", context: parent, ofKind: .server) { span in
            span.attributes["http.request.method"] = request.method.rawValue
            span.attributes["http.route"] = label
            span.attributes["gatehouse.session_cookie"] = CookieHeader.lookup(cookieName, in: request.headers[values: .cookie]) != .absent
            do {
                let response = try await next(request, context)
                RequestTracing.record(status: Int(response.status.code), on: span)
                return response
            } catch let error as any HTTPResponseError {
                RequestTracing.record(status: Int(error.status.code), on: span)
                throw error
            }
        }
    }
}

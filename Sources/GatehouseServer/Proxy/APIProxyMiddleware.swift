public import AsyncHTTPClient
import Foundation
import GatehouseOAuth
import GatehouseSessions
import HTTPTypes
public import Hummingbird
import NIOCore
import NIOHTTP1

/// The API proxy: for a path under a configured route, forwards the request to
/// that route's upstream with `Authorization: Bearer` attached, streaming the
/// bodies both ways. Paths under no route pass on (to static files).
public struct APIProxyMiddleware: RouterMiddleware {
    public typealias Context = GatehouseRequestContext

    let table: ProxyRouteTable
    let controller: BFFController
    let bearers: BearerResolver
    let client: HTTPClient

    public init(routes: ProxyRouteTable, controller: BFFController, bearers: BearerResolver, client: HTTPClient) {
        self.table = routes
        self.controller = controller
        self.bearers = bearers
        self.client = client
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let route = table.route(for: request.uri.path) else { return try await next(request, context) }
        guard route.methods.contains(request.method.rawValue) else {
            throw BFFError(status: .methodNotAllowed, code: "method_not_allowed", message: "\(request.method.rawValue) is not allowed on this route.")
        }
        let bearer = try await bearers.accessToken(for: route, request: request)
        return try await forward(request, context: context, route: route, bearer: bearer)
    }

    private func forward(_ request: Request, context: Context, route: ProxyRoute, bearer: AccessToken?) async throws -> Response {
        let settings = controller.settings
        var upstream = HTTPClientRequest(url: route.upstreamURL(path: request.uri.path, query: request.uri.query))
        upstream.method = HTTPMethod(rawValue: request.method.rawValue)
        let own: Set<String> = [settings.sessionCookieName, settings.loginCookieName]
        for (name, value) in ProxyHeaders.upstreamRequest(request.headers, ownCookies: own, csrfHeader: settings.csrfHeaderName) {
            upstream.headers.add(name: name, value: value)
        }
        if let bearer { upstream.headers.add(name: "Authorization", value: "Bearer \(bearer.value)") }
        let forwarded = ForwardedHeaders.make(
            peer: context.remoteAddress?.ipAddress.flatMap(IPAddress.init), incoming: request.headers, trusted: settings.trustedProxies,
            publicProto: settings.isHTTPS ? "https" : "http", publicHost: settings.publicHost
        )
        upstream.headers.add(name: "X-Forwarded-For", value: forwarded.forwardedFor)
        upstream.headers.add(name: "X-Forwarded-Proto", value: forwarded.proto)
        upstream.headers.add(name: "X-Forwarded-Host", value: forwarded.host)
        if request.method != .get && request.method != .head {
            let length = request.headers[.contentLength].flatMap { Int64($0) }
            upstream.body = .stream(request.body, length: length.map { .known($0) } ?? .unknown)
        }
        let timeout = TimeAmount.nanoseconds(Int64(route.timeout.components.seconds) * 1_000_000_000 + route.timeout.components.attoseconds / 1_000_000_000)
        let response: HTTPClientResponse
        let started = ContinuousClock.now
        defer { controller.metrics.upstream(route: route.pathPrefix, duration: ContinuousClock.now - started) }
        do {
            response = try await client.execute(upstream, timeout: timeout)
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            throw BFFError(status: .gatewayTimeout, code: "upstream_timeout", message: "The API did not answer in time.")
        } catch {
            context.logger.warning("upstream failed", metadata: ["gatehouse.route": "\(route.pathPrefix)", "gatehouse.error": "\(String(describing: type(of: error)))"])
            throw BFFError(status: .badGateway, code: "upstream_unreachable", message: "The API could not be reached.")
        }
        let headers = ProxyHeaders.downstreamResponse(response.headers.map { ($0.name, $0.value) }, ownCookies: own)
        return Response(
            status: HTTPResponse.Status(code: Int(response.status.code), reasonPhrase: response.status.reasonPhrase),
            headers: headers,
            body: ResponseBody(asyncSequence: response.body)
        )
    }
}

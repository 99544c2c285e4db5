import Foundation
import GatehouseOAuth
import GatehouseSessions
import HTTPTypes
package import Hummingbird
import NIOCore
import NIOHTTP1
import AsyncAlgorithms
import Synchronization

/// The API proxy: for a path under a configured route, forwards the request to
/// that route's upstream with `Authorization: Bearer` attached, streaming the
/// bodies both ways. Paths under no route pass on (to the BFF and static files).
///
/// It is the first middleware and does for API paths, in one frame, what the
/// general chain does for the rest — the CSRF check, security headers on every
/// answer, metrics — because on the hot path each extra async frame shows.
package struct APIProxyMiddleware: RouterMiddleware {
    package typealias Context = GatehouseRequestContext

    let routes: LiveRoutes
    let controller: BFFController
    let bearers: BearerResolver
    let upstreams: UpstreamClient
    /// `nil` when tracing is off: nothing of it runs then.
    let tracing: RequestTracing?
    let csrf: CSRFCheck
    let securityHeaders: SecurityHeaders
    let upstreamHeaders: UpstreamHeaders
    /// Each route's upstream's latest `DPoP-Nonce`, put in the proofs sent to it.
    let upstreamNonces = DPoPNonces()

    package init(routes: LiveRoutes, controller: BFFController, bearers: BearerResolver, upstreams: UpstreamClient, tracing: RequestTracing? = nil) {
        self.routes = routes
        self.controller = controller
        self.bearers = bearers
        self.upstreams = upstreams
        self.tracing = tracing
        self.csrf = CSRFCheck(headerName: controller.configuration.csrf.header)
        self.securityHeaders = SecurityHeaders(publicURLIsHTTPS: controller.configuration.isHTTPS)
        self.upstreamHeaders = UpstreamHeaders(configuration: controller.configuration)
    }

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let table = routes.current
        guard let (route, upstream) = table.match(request.uri.path) else {
            // The rest of the chain (metrics, static files, the login's step-up rules) reads this snapshot.
            var context = context
            context.routes = table
            return try await next(request, context)
        }
        let started = ContinuousClock.now
        let label = RequestLabel.api(route)
        var response: Response
        do {
            response = try await proxy(request, context: context, route: route, upstream: upstream)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        } catch {
            // Never a bare 500 without the security headers: every failure gets the error JSON.
            context.logger.error("proxy failed", metadata: ["gatehouse.event": EventName.proxyFailed, "gatehouse.route": "\(route.path)", "gatehouse.error": "\(String(describing: type(of: error)))"])
            response = try (BFFError.mapping(error) ?? .internalError).response(from: request, context: context)
        }
        securityHeaders.apply(to: &response.headers)
        controller.metrics.request(route: label, status: Int(response.status.code), duration: ContinuousClock.now - started)
        return response
    }

    private func proxy(_ request: Request, context: Context, route: Route, upstream: RouteUpstream) async throws -> Response {
        try csrf.require(request.headers, method: request.method, path: route.path, logger: context.logger)
        guard route.allows(method: request.method.rawValue) else {
            throw BFFError.methodNotAllowed(request.method.rawValue)
        }
        let bearer = try await bearers.resolve(for: route, request: request)
        return try await forward(request, context: context, route: route, upstream: upstream, bearer: bearer)
    }

    private func forward(_ request: Request, context: Context, route: Route, upstream: RouteUpstream, bearer: BearerResolver.Bearer) async throws -> Response {
        // Nothing of DPoP runs for a bearer session: this is the hot path.
        let proofURL = bearer.proofKey == nil ? "" : upstream.url(path: request.uri.path, query: nil)
        let proof = bearer.proofKey == nil ? nil : bearer.proof(
            method: request.method.rawValue, url: proofURL, nonce: upstreamNonces.current(for: route.path), now: controller.now(), random: controller.random
        )
        let headers = upstreamHeaders.request(
            request.headers, peer: context.remoteAddress, bearer: bearer.token, proof: proof, dropping: tracing == nil ? [] : Self.traceHeaders
        )
        guard let tracing else {
            return try await send(request, context: context, route: route, upstream: upstream, bearer: bearer, proof: proof, proofURL: proofURL, headers: headers)
        }
        // The upstream gets this span's traceparent in place of the browser's.
        return try await tracing.withSpan("upstream \(route.path)", ofKind: .client) { span in
            span.attributes["gatehouse.route"] = route.path
            span.attributes["server.address"] = upstream.host
            var headers = headers
            tracing.inject(into: &headers)
            let response = try await send(request, context: context, route: route, upstream: upstream, bearer: bearer, proof: proof, proofURL: proofURL, headers: headers)
            RequestTracing.record(status: Int(response.status.code), on: span)
            return response
        }
    }

    /// W3C trace context headers, which Gatehouse sets itself when tracing is on.
    static let traceHeaders: Set<String> = ["traceparent", "tracestate"]

    /// Sends to the upstream and turns its answer into the browser's response.
    private func send(
        _ request: Request, context: Context, route: Route, upstream: RouteUpstream, bearer: BearerResolver.Bearer, proof: String?, proofURL: String,
        headers: HTTPHeaders
    ) async throws -> Response {
        var headers = headers
        let hasBody = request.method != .get && request.method != .head
        // An upstream's DPoP-Nonce challenge is answered once, by sending again with the nonce: only
        // for requests without a body, which can be sent twice (a streamed body is gone by then).
        var retryWithNonce: (@Sendable (Int, HTTPHeaders) -> String?)?
        if !hasBody && proof != nil {
            let (method, nonces, routePath, controller) = (request.method.rawValue, upstreamNonces, route.path, controller)
            retryWithNonce = { status, answerHeaders in
                guard let nonce = bearer.nonceChallenge(status: status, headers: answerHeaders) else { return nil }
                nonces.remember(nonce, for: routePath)
                return bearer.proof(method: method, url: proofURL, nonce: nonce, now: controller.now(), random: controller.random)
            }
        }
        let length = request.headers[.contentLength].flatMap { Int64($0) }
        let timeout = TimeAmount.nanoseconds(Int64(route.timeout / .nanoseconds(1)))
        let started = ContinuousClock.now
        defer { controller.metrics.upstream(route: route.path, duration: ContinuousClock.now - started) }
        headers.replaceOrAdd(name: "Host", value: upstream.authority)
        if hasBody {
            if let length { headers.add(name: "Content-Length", value: String(length)) } else { headers.add(name: "Transfer-Encoding", value: "chunked") }
        }
        var head = HTTPRequestHead(
            version: .http1_1, method: HTTPMethod(rawValue: request.method.rawValue),
            uri: upstream.target(path: request.uri.path, query: request.uri.query), headers: headers
        )
        var answer: UpstreamClient.Answer
        do {
            answer = try await upstreams.send(
                head, body: hasBody ? request.body : nil, host: upstream.host, port: upstream.port, tls: upstream.tls, timeout: timeout
            )
            if let retryWithNonce, let proof = retryWithNonce(Int(answer.head.status.code), answer.head.headers) {
                for try await _ in answer.body {} // the challenge's body: read, so the connection is reused
                head.headers.replaceOrAdd(name: "DPoP", value: proof)
                answer = try await upstreams.send(
                    head, body: hasBody ? request.body : nil, host: upstream.host, port: upstream.port, tls: upstream.tls, timeout: timeout
                )
            }
        } catch UpstreamError.timedOut {
            throw BFFError.upstreamTimeout
        } catch {
            context.logger.warning("upstream failed", metadata: ["gatehouse.route": "\(route.path)", "gatehouse.error": "\(error)"])
            throw BFFError.upstreamUnreachable
        }
        let responseHeaders = upstreamHeaders.response(answer.head.headers)
        let contentLength = answer.head.headers.first(name: "content-length").flatMap { Int($0) }
        let body = answer.body
        let status = HTTPResponse.Status(code: Int(answer.head.status.code), reasonPhrase: answer.head.status.reasonPhrase)
        if let contentLength, contentLength <= Self.smallBody, request.method != .head {
            // A small answer of known length is read whole and sent in one write (as nginx
            // buffers by default); anything larger, or of unknown length (SSE), streams.
            var whole = ByteBuffer()
            for try await chunk in body {
                var chunk = chunk
                whole.writeBuffer(&chunk)
            }
            return Response(status: status, headers: responseHeaders, body: ResponseBody(byteBuffer: whole))
        }
        return Response(
            status: status,
            headers: responseHeaders,
            body: streamed(body, contentLength: request.method == .head ? nil : contentLength, session: bearer.session) { body.abandon() }
        )
    }

    /// A streamed answer — server-sent events, a long download — that follows its session: when
    /// the session ends (on any replica), the upstream read stops and the answer is cut off, so the
    /// browser's stream ends (an `EventSource` reconnects and meets a 401). The upstream is read by
    /// a child task through a channel with backpressure, so the end stops the read however quiet
    /// the upstream is, and not one byte follows it.
    private func streamed(
        _ body: some AsyncSequence<ByteBuffer, any Error> & Sendable, contentLength: Int?,
        session: (key: SessionKey, record: SessionRecord)?, abandon: @escaping @Sendable () -> Void
    ) -> ResponseBody {
        guard let session else {
            return ResponseBody(contentLength: contentLength) { writer in
                do {
                    for try await chunk in body { try await writer.write(chunk) }
                } catch {
                    // The browser went away or the upstream broke off: this connection is done.
                    abandon()
                    throw error
                }
                try await writer.finish(nil)
            }
        }
        let streams = controller.streams
        return ResponseBody(contentLength: contentLength) { writer in
            let chunks = AsyncThrowingChannel<ByteBuffer, any Error>()
            let ended = EndedFlag()
            let reader = Task {
                do {
                    for try await chunk in body { await chunks.send(chunk) }
                    chunks.finish()
                } catch {
                    chunks.fail(error)
                }
            }
            let watcher = Task {
                await streams.waitForEnd(of: session.key, record: session.record)
                guard !Task.isCancelled else { return }
                ended.value.store(true, ordering: .sequentiallyConsistent)
                reader.cancel()
                abandon()
                chunks.finish()
            }
            defer {
                watcher.cancel()
                reader.cancel()
            }
            do {
                for try await chunk in chunks {
                    guard !ended.value.load(ordering: .sequentiallyConsistent) else { break }
                    try await writer.write(chunk)
                }
            } catch {
                abandon()
                throw ended.value.load(ordering: .sequentiallyConsistent) ? StreamError.sessionEnded : error
            }
            guard !ended.value.load(ordering: .sequentiallyConsistent) else {
                abandon()
                throw StreamError.sessionEnded
            }
            watcher.cancel()
            try await writer.finish(nil)
        }
    }

    /// Set once a streamed answer's session has ended, shared with the task that noticed.
    private final class EndedFlag: Sendable {
        let value = Atomic(false)
    }

    /// Why a streamed answer was cut off.
    enum StreamError: Error {
        /// Its session ended while it streamed.
        case sessionEnded
    }

    /// Answers up to this size (with a `Content-Length`) are read whole before they are sent.
    static let smallBody = 64 * 1024
}

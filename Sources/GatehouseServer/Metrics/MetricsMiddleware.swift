package import Hummingbird

/// Counts and times every request by a low-cardinality route label.
package struct MetricsMiddleware: RouterMiddleware {
    package typealias Context = GatehouseRequestContext
    let metrics: GatehouseMetrics
    let routes: LiveRoutes

    package init(metrics: GatehouseMetrics, routes: LiveRoutes) {
        self.metrics = metrics
        self.routes = routes
    }

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let label = RequestLabel.of(request.uri.path, routes: context.routes ?? routes.current)
        do {
            let response = try await next(request, context)
            metrics.request(route: label, status: Int(response.status.code), duration: ContinuousClock.now - started)
            return response
        } catch let error as any HTTPResponseError {
            metrics.request(route: label, status: Int(error.status.code), duration: ContinuousClock.now - started)
            throw error
        } catch {
            metrics.request(route: label, status: 500, duration: ContinuousClock.now - started)
            throw error
        }
    }
}

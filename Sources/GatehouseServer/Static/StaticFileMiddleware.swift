package import Hummingbird

/// Serves the SPA from a folder for `GET` and `HEAD` requests no route answered.
///
/// It runs the rest of the chain first and steps in only when that throws a 404, like Hummingbird's
/// `FileMiddleware`. Paths are classified by ``StaticPathResolver`` (no escapes, no dot-files, no
/// answers under `/bff/` or the API prefixes), looked up with symlinks resolved and checked to stay
/// in the folder, and served with a strong `ETag`, `Cache-Control` by ``StaticCachePolicy``, a
/// content type from a fixed table, and ``SecurityHeaders``. Unknown non-asset paths get
/// `index.html` so the SPA can route them.
///
/// Hummingbird's `FileMiddleware` is not used: it makes weak ETags, picks `Cache-Control` by media
/// type only (not by fingerprint), has no SPA fallback, and follows symlinks out of its folder.
///
/// ```swift
/// let router = Router(context: AppRequestContext.self)
/// let headers = SecurityHeaders(publicURLIsHTTPS: publicURL.hasPrefix("https://"))
/// router.add(middleware: SecurityHeadersMiddleware(headers))
/// router.add(middleware: StaticFileMiddleware(folder: "Public", excludingPathPrefixes: ["/api/"], securityHeaders: headers))
/// ```
package struct StaticFileMiddleware<Context: RequestContext>: RouterMiddleware {
    let resolver: StaticPathResolver
    let locator: StaticFileLocator
    let fileIO: FileIO
    let securityHeaders: SecurityHeaders
    let cachePolicy: StaticCachePolicy
    /// Paths never answered from the folder that are known only per request (the route table a
    /// reload may have replaced, as this request's context holds it).
    let excludes: @Sendable (String, Context) -> Bool

    /// Creates the middleware.
    /// - Parameters:
    ///   - folder: the SPA's folder (`static_dir`); relative to the working directory unless absolute.
    ///   - excludingPathPrefixes: route prefixes (e.g. the configured API routes) never answered
    ///     from the folder; `/bff/` is always excluded.
    ///   - securityHeaders: added to every response this middleware makes, 304s included.
    ///   - cachePolicy: `Cache-Control` values by kind of file.
    ///   - excludes: further paths never answered, decided per request.
    package init(
        folder: String,
        excludingPathPrefixes: [String] = [],
        securityHeaders: SecurityHeaders,
        cachePolicy: StaticCachePolicy = StaticCachePolicy(),
        excludes: @escaping @Sendable (String, Context) -> Bool = { _, _ in false }
    ) {
        self.excludes = excludes
        self.resolver = StaticPathResolver(excludingPathPrefixes: excludingPathPrefixes)
        self.locator = StaticFileLocator(folder: folder)
        self.fileIO = FileIO()
        self.securityHeaders = securityHeaders
        self.cachePolicy = cachePolicy
    }

    /// Answers from the folder when the rest of the chain throws 404 for a `GET` or `HEAD`.
    package func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as any HTTPResponseError where error.status == .notFound {
            guard request.method == .get || request.method == .head else { throw error }
            return try await self.serve(request, context: context, notFound: error)
        }
    }

    private func serve(_ request: Request, context: Context, notFound: any Error) async throws -> Response {
        let relativePath: String
        let fallsBackToIndex: Bool
        if excludes(request.uri.path, context) { throw notFound }
        switch self.resolver.resolve(request.uri.path) {
        case .excluded:
            throw notFound
        case .rejected:
            throw HTTPError(.badRequest, headers: self.securityHeaders.fields, message: "Invalid path")
        case .hidden:
            throw HTTPError(.notFound, headers: self.securityHeaders.fields)
        case .lookup(let path, let fallsBack):
            relativePath = path
            fallsBackToIndex = fallsBack
        }

        let requestedName = relativePath.split(separator: "/").last.map(String.init) ?? ""
        let found: (file: StaticFile, name: String)
        if let file = try await self.locator.locate(relativePath) {
            // Content type and caching follow the URL's name: a symlink `app.js` → `app.1a2b3c4d.js`
            // must not be cached as immutable, because its URL is not fingerprinted.
            found = (file, file.isFolderIndex ? "index.html" : requestedName)
        } else if fallsBackToIndex, let index = try await self.locator.locate("index.html") {
            found = (index, "index.html")
        } else {
            throw HTTPError(.notFound, headers: self.securityHeaders.fields)
        }
        context.coreContext.endpointPath.value = "StaticFiles"
        return try await self.response(for: found.file, servedAs: found.name, request: request, context: context)
    }

    private func response(for file: StaticFile, servedAs name: String, request: Request, context: Context) async throws -> Response {
        var headers = self.securityHeaders.fields
        headers[.eTag] = file.entityTag
        headers[.cacheControl] = self.cachePolicy.cacheControl(forFileNamed: name)
        headers[.contentType] = StaticContentTypes.contentType(forFileNamed: name) ?? StaticContentTypes.fallback

        if EntityTagCondition.ifNoneMatchMatches(request.headers[values: .ifNoneMatch], entityTag: file.entityTag) {
            headers[.contentType] = nil
            return Response(status: .notModified, headers: headers)
        }
        if request.method == .head {
            headers[.contentLength] = String(file.size)
            return Response(status: .ok, headers: headers)
        }
        let body = try await self.fileIO.loadFile(path: file.path, context: context)
        return Response(status: .ok, headers: headers, body: body)
    }
}

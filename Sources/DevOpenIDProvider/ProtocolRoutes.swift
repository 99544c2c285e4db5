import Hummingbird

/// The OpenID Connect and OAuth endpoints.
struct ProtocolRoutes: Sendable {
    let provider: DevOpenIDProvider

    func addRoutes(to router: Router<BasicRequestContext>) {
        router.get("/.well-known/openid-configuration") { _, _ in Response.json(await provider.discovery()) }
        router.get("/jwks") { _, _ in
            do { return Response.json(try await provider.jwks()) } catch { return Response(status: .internalServerError) }
        }
        router.get("/authorize") { request, _ in
            let cookie = request.headers[.cookie]?.split(separator: ";").lazy
                .map { $0.trimmingCharacters(in: .whitespaces) }
                .first { $0.hasPrefix(DevOpenIDProvider.sessionCookieName + "=") }
                .map { String($0.dropFirst(DevOpenIDProvider.sessionCookieName.count + 1)) }
            return Response.browser(await provider.beginAuthorization(request.queryParameters, sessionCookie: cookie))
        }
        router.post("/authorize") { request, _ in
            Response.browser(await provider.completeAuthorization(try await request.formParameters()))
        }
        router.post("/token") { request, _ in try await token(request) }
        router.post("/par") { request, _ in
            guard provider.configuration.pushedAuthorization != .off else { return Response(status: .notFound) }
            let form = try await request.formParameters()
            return await Self.answer { () async throws(OAuthError) in
                Response.json(try await provider.pushAuthorization(form, authorization: request.authorizationHeader), status: .created)
            }
        }
        router.get("/userinfo") { request, _ in await userInfo(request) }
        router.post("/userinfo") { request, _ in await userInfo(request) }
        router.post("/revoke") { request, _ in
            let form = try await request.formParameters()
            return await Self.answer { () async throws(OAuthError) in
                try await provider.revoke(form, authorization: request.authorizationHeader)
                return Response(status: .ok)
            }
        }
        router.post("/introspect") { request, _ in
            let form = try await request.formParameters()
            return await Self.answer { () async throws(OAuthError) in
                Response.json(try await provider.introspect(form, authorization: request.authorizationHeader))
            }
        }
        router.get("/end-session") { request, _ in await endSession(request.queryParameters) }
        router.post("/end-session") { request, _ in await endSession(try await request.formParameters()) }
    }

    private func token(_ request: Request) async throws -> Response {
        let form = try await request.formParameters()
        let admission = await provider.admitTokenRequest(grantType: form["grant_type"])
        if admission.latency > .zero { try await Task.sleep(for: admission.latency) }
        if let forced = admission.forced { return Self.response(forcedBy: forced) }
        let response = await Self.answer { () async throws(OAuthError) in
            Response.json(try await provider.token(form, authorization: request.authorizationHeader, dpop: request.dpopProof))
        }
        if admission.answerDelay > .zero { try await Task.sleep(for: admission.answerDelay) }
        return response
    }

    private func userInfo(_ request: Request) async -> Response {
        let header = request.authorizationHeader
        let lowered = header?.lowercased() ?? ""
        let token = header.flatMap { lowered.hasPrefix("bearer ") ? String($0.dropFirst(7)) : lowered.hasPrefix("dpop ") ? String($0.dropFirst(5)) : nil }
        let dpop = lowered.hasPrefix("dpop ") ? DPoPPresentation(method: request.method.rawValue, proof: request.dpopProof) : nil
        return await Self.answer { () async throws(OAuthError) in
            Response.json(try await provider.userInfo(accessToken: token, dpop: dpop))
        }
    }

    private func endSession(_ parameters: FormParameters) async -> Response {
        let outcome = await provider.endSession(parameters)
        _ = await DevOpenIDProvider.deliver(outcome.backchannel)
        return .browser(outcome.step)
    }

    private static func answer(_ body: () async throws(OAuthError) -> Response) async -> Response {
        do {
            return try await body()
        } catch {
            return .oauthError(error)
        }
    }

    private static func response(forcedBy forced: DevOpenIDProvider.ForcedTokenResponse) -> Response {
        switch forced {
        case .invalidGrant: .oauthError(.invalidGrant("Forced by a test knob."))
        case .invalidClient: .oauthError(.invalidClient("Forced by a test knob.", basic: false))
        case .serverError:
            .oauthError(OAuthError(code: .serverError, message: "Forced by a test knob.", status: .internalServerError))
        case .html:
            .html(ProviderPage.message(title: "Bad gateway", text: "An HTML page where JSON was expected (forced by a test knob).").html)
        }
    }
}

import Hummingbird

extension Request {
    /// The form body (bounded: a provider never needs a large one).
    func formParameters() async throws -> FormParameters {
        let buffer = try await body.collect(upTo: 64 * 1024)
        return FormParameters(String(buffer: buffer))
    }

    /// The query string's parameters.
    var queryParameters: FormParameters { FormParameters(uri.query) }

    /// The raw `Authorization` header.
    var authorizationHeader: String? { headers[.authorization] }
}

import NIOHTTP1

/// The answers the listener's guards give themselves (``RequestHeadGuard`` for HTTP/1,
/// ``HTTP2StreamGuard`` for each HTTP/2 stream); same JSON shape as every other error.
enum GuardRefusal {
    case badTarget(RequestTarget.Problem)
    case tooManyHeaders
    case malformed

    var status: HTTPResponseStatus {
        switch self {
        case .badTarget, .malformed: .badRequest
        case .tooManyHeaders: .requestHeaderFieldsTooLarge
        }
    }

    var headers: [(String, String)] {
        [("Content-Type", "application/json"), ("Cache-Control", "no-store"), ("X-Content-Type-Options", "nosniff")]
    }

    var body: String {
        switch self {
        case .badTarget(let problem): #"{"error":"invalid_request","message":"\#(problem.message)"}"#
        case .tooManyHeaders: #"{"error":"request_header_fields_too_large","message":"The request has too many or too large headers."}"#
        case .malformed: #"{"error":"invalid_request","message":"The request is not well-formed HTTP/1.1, or its target is too long."}"#
        }
    }
}

package import AsyncHTTPClient
package import Foundation
package import GatehouseOAuth
import NIOCore
import NIOHTTP1

/// `OAuthTransport` over AsyncHTTPClient. Bodies are capped: a provider that
/// answers with megabytes is refused rather than buffered.
package struct HTTPClientTransport: OAuthTransport {
    private let client: HTTPClient
    private let maximumBodySize: Int

    package init(client: HTTPClient, maximumBodySize: Int = 1 << 20) {
        self.client = client
        self.maximumBodySize = maximumBodySize
    }

    package func get(_ url: URL, timeout: Duration) async throws -> TransportResponse {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.headers.add(name: "Accept", value: "application/json")
        return try await execute(request, timeout: timeout)
    }

    package func post(_ formRequest: FormPostRequest, timeout: Duration) async throws -> TransportResponse {
        var request = HTTPClientRequest(url: formRequest.url.absoluteString)
        request.method = .POST
        for header in formRequest.headers {
            request.headers.add(name: header.name, value: header.value)
        }
        request.body = .bytes(ByteBuffer(bytes: formRequest.body))
        return try await execute(request, timeout: timeout)
    }

    private func execute(_ request: HTTPClientRequest, timeout: Duration) async throws -> TransportResponse {
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, timeout: .nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000))
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            throw ProviderError.timeout
        } catch let error as HTTPClientError {
            // AsyncHTTPClient's descriptions name the failure, never the request.
            throw ProviderError.unreachable(error.description)
        } catch {
            throw ProviderError.unreachable(String(describing: type(of: error)))
        }
        let body: ByteBuffer
        do {
            body = try await response.body.collect(upTo: maximumBodySize)
        } catch {
            throw ProviderError.badResponse("answer larger than \(maximumBodySize) bytes or cut off")
        }
        return TransportResponse(
            status: Int(response.status.code), contentType: response.headers.first(name: "Content-Type"), body: Array(buffer: body),
            dpopNonce: response.headers.first(name: "DPoP-Nonce")
        )
    }
}

/// What came back from the provider: status, content type and a bounded body.
package struct TransportResponse: Sendable {
    package var status: Int
    package var contentType: String?
    package var body: [UInt8]
    /// The `DPoP-Nonce` header (RFC 9449 §8): the nonce the provider wants in the next proof.
    package var dpopNonce: String?

    package init(status: Int, contentType: String? = nil, body: [UInt8], dpopNonce: String? = nil) {
        self.status = status
        self.contentType = contentType
        self.body = body
        self.dpopNonce = dpopNonce
    }
}

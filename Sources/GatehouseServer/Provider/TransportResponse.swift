/// What came back from the provider: status, content type and a bounded body.
package struct TransportResponse: Sendable {
    package var status: Int
    package var contentType: String?
    package var body: [UInt8]

    package init(status: Int, contentType: String? = nil, body: [UInt8]) {
        self.status = status
        self.contentType = contentType
        self.body = body
    }
}

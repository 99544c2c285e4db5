extension DevOpenIDProvider {
    /// The outcome of POSTing one logout token to one client.
    package struct BackchannelDelivery: Sendable, Hashable, Codable {
        /// The client it was sent to.
        package var clientID: String
        /// The receiver's HTTP status, or `nil` when it could not be reached.
        package var status: Int?

        /// Creates a delivery record.
        package init(clientID: String, status: Int?) {
            self.clientID = clientID
            self.status = status
        }

        enum CodingKeys: String, CodingKey {
            case clientID = "client_id"
            case status
        }
    }
}

extension DevOpenIDProvider {
    /// The outcome of POSTing one logout token to one client.
    public struct BackchannelDelivery: Sendable, Hashable, Codable {
        /// The client it was sent to.
        public var clientID: String
        /// The receiver's HTTP status, or `nil` when it could not be reached.
        public var status: Int?

        /// Creates a delivery record.
        public init(clientID: String, status: Int?) {
            self.clientID = clientID
            self.status = status
        }

        enum CodingKeys: String, CodingKey {
            case clientID = "client_id"
            case status
        }
    }
}

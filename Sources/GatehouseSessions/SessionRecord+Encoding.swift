extension SessionRecord {
    /// The versioned plaintext form (encrypt it before storing).
    package func encoded() throws -> [UInt8] {
        try VersionedCoding.encode(self)
    }

    /// Decodes the versioned plaintext form.
    package init(encoded bytes: [UInt8]) throws(SessionEncodingError) {
        self = try VersionedCoding.decode(SessionRecord.self, from: bytes)
    }
}

import Foundation

/// The stored form of records: one version byte, then JSON.
///
/// JSON keeps the format debuggable and tolerant of added optional fields; the version byte lets
/// a future binary form coexist with records already in the store.
enum VersionedCoding {
    static let version1: UInt8 = 1

    static func encode(_ value: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        return [version1] + Array(try encoder.encode(value))
    }

    static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws(SessionEncodingError) -> T {
        guard let version = bytes.first else { throw .empty }
        guard version == version1 else { throw .unknownVersion }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        do {
            return try decoder.decode(T.self, from: Data(bytes.dropFirst()))
        } catch {
            throw .malformed
        }
    }
}

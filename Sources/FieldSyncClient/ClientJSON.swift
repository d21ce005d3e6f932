import FieldSyncModel
import Foundation

/// `Codable` for the JSON the client keeps in its own files (the profile, the sync state) and reads in the
/// server's answers that are neither signed nor hashed. Written with sorted keys and unescaped slashes, so
/// that the files read as they always did; a document that does not decode is named in one line, with the
/// member that is wrong.
///
/// Events, exports, receipts, reference data and anything else signed or hashed go through `JSONParser`.
enum ClientJSON {
    static func encode(_ value: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(value))
    }

    /// `value` as a ``JSONValue``, for a document of JSON values that holds it.
    static func value(_ value: some Encodable) -> JSONValue {
        // The encoder writes valid JSON of strings, integers, arrays and objects, which the parser reads.
        try! JSONParser.parse(try! encode(value))
    }

    static func decode<Value: Decodable>(
        _ type: Value.Type, from bytes: some Collection<UInt8>
    ) throws(ClientJSONError) -> Value {
        do {
            return try JSONDecoder().decode(type, from: Data(bytes))
        } catch let error as DecodingError {
            throw ClientJSONError(error)
        } catch {
            throw ClientJSONError(description: "\(error)")
        }
    }
}

/// A document that does not decode: `device: 'x' is not a device id: 20 lowercase hex digits`,
/// `serverKey is missing`, `not JSON (…)`.
struct ClientJSONError: Error, CustomStringConvertible {
    let description: String

    init(description: String) {
        self.description = description
    }

    init(_ error: DecodingError) {
        switch error {
        case .keyNotFound(let key, let context):
            description = "\(Self.path(context.codingPath + [key])) is missing"
        case .valueNotFound(_, let context):
            description = "\(Self.path(context.codingPath)) is null"
        case .typeMismatch(let type, let context):
            description = "\(Self.path(context.codingPath)) is not \(Self.kind(of: type))"
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            description = "not JSON (\(context.underlyingError.map { "\($0)" } ?? context.debugDescription))"
        case .dataCorrupted(let context):
            description = "\(Self.path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            description = "\(error)"
        }
    }

    /// `refused[0].errors[1].code`.
    private static func path(_ keys: [any CodingKey]) -> String {
        var path = ""
        for key in keys {
            if let index = key.intValue {
                path += "[\(index)]"
            } else {
                path += (path.isEmpty ? "" : ".") + key.stringValue
            }
        }
        return path.isEmpty ? "the document" : path
    }

    private static func kind(of type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int64.Type, is Int.Type: "an integer"
        case is Bool.Type: "true or false"
        default: "\(type)".hasPrefix("Array") ? "an array" : "an object"
        }
    }
}

import FieldSyncModel
import Foundation
import Hummingbird
import NIOCore

extension Request {
    /// The whole body, refused with `body-too-large` beyond `limit` bytes (by `Content-Length` before
    /// reading anything, or while reading when the length is not given).
    func collectBody(limit: Int) async throws -> ByteBuffer {
        if let length = headers[.contentLength].flatMap({ Int($0) }), length > limit {
            throw Problem(.bodyTooLarge, "the body has \(length) bytes; at most \(limit) are accepted")
        }
        do {
            return try await body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw Problem(.bodyTooLarge, "the body has more than \(limit) bytes; at most \(limit) are accepted")
        }
    }

    /// The media type of the body, lower case, without parameters; nil when not given.
    var mediaType: String? {
        guard let value = headers[.contentType] else { return nil }
        let type = value.split(separator: ";", maxSplits: 1).first ?? ""
        return type.trimmingCharacters(in: .whitespaces).lowercased()
    }

    /// Refuses a body that is not one of `accepted` media types with `unsupported-media-type`.
    func requireMediaType(_ accepted: [String]) throws {
        guard let type = mediaType, accepted.contains(type) else {
            throw Problem(
                .unsupportedMediaType,
                "the body is \(mediaType.map { "\($0)" } ?? "of no stated type"); send \(accepted.joined(separator: " or "))"
            )
        }
    }

    /// The body as a JSON object, read with the protocol's parser (integers only, no duplicate members).
    /// With `orNothing`, an empty body of no stated type reads as an empty object.
    func jsonObject(limit: Int, orNothing: Bool = false) async throws -> [String: JSONValue] {
        if !orNothing || mediaType != nil { try requireMediaType(["application/json"]) }
        let buffer = try await collectBody(limit: limit)
        if orNothing && mediaType == nil {
            guard buffer.readableBytes > 0 else { return [:] }
            try requireMediaType(["application/json"])
        }
        let json: JSONValue
        do {
            json = try JSONParser.parse(buffer.readableBytesView)
        } catch {
            throw Problem(.invalidJSON, "the body is not valid JSON: \(error)")
        }
        guard case .object(let object) = json else {
            throw Problem(.invalidJSON, "the body is \(json.kindDescription); a JSON object is expected")
        }
        return object
    }
}

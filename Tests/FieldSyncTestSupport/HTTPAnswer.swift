import FieldSyncModel
import NIOHTTP1

/// An answer from the server under test, read whole.
public struct HTTPAnswer: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public init(status: Int, headers: HTTPHeaders, body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public var text: String { String(decoding: body, as: UTF8.self) }

    /// The body parsed as JSON; a test failure when it is not.
    public func json() throws -> JSONValue { try JSONParser.parse(body) }

    /// The body's JSON object, or an empty one.
    public var object: [String: JSONValue] { (try? json())?.objectValue ?? [:] }

    /// The body as NDJSON lines, without their line feeds.
    public var lines: [[UInt8]] { body.split(separator: 0x0a, omittingEmptySubsequences: true).map(Array.init) }

    public var contentType: String? { headers.first(name: "content-type") }

    public func header(_ name: String) -> String? { headers.first(name: name) }
}

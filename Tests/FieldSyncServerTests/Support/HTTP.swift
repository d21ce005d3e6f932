import AsyncHTTPClient
import FieldSyncModel
import Foundation
import NIOCore
import NIOHTTP1

/// An answer from the server under test, read whole.
struct HTTPAnswer: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: [UInt8]

    var text: String { String(decoding: body, as: UTF8.self) }

    /// The body parsed as JSON; a test failure when it is not.
    func json() throws -> JSONValue { try JSONParser.parse(body) }

    /// The body's JSON object, or an empty one.
    var object: [String: JSONValue] { (try? json())?.objectValue ?? [:] }

    /// The body as NDJSON lines, without their line feeds.
    var lines: [[UInt8]] { body.split(separator: 0x0a, omittingEmptySubsequences: true).map(Array.init) }

    var contentType: String? { headers.first(name: "content-type") }
}

/// Real HTTP requests over loopback.
enum HTTP {
    /// How long a request may take before it is given up: only a guard against a hang, since on a machine
    /// running every suite at once an answer that takes milliseconds alone may take a minute.
    static let timeout: TimeAmount = .seconds(300)

    static func send(
        _ method: HTTPMethod, _ url: String, token: String? = nil, body: [UInt8]? = nil,
        contentType: String? = "application/json", headers: [(String, String)] = [], timeout: TimeAmount = HTTP.timeout
    ) async throws -> HTTPAnswer {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body {
            request.body = .bytes(ByteBuffer(bytes: body))
            if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
        }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let response = try await HTTPClient.shared.execute(request, timeout: timeout)
        let bytes = try await response.body.collect(upTo: 256 << 20)
        return HTTPAnswer(
            status: Int(response.status.code), headers: response.headers, body: Array(bytes.readableBytesView))
    }

    /// A POST whose body goes out in chunks of `chunkSize` bytes with no `Content-Length` (chunked
    /// transfer coding): the server learns its length only by reading it.
    static func sendChunked(
        _ url: String, token: String? = nil, body: [UInt8], chunkSize: Int = 8 << 10,
        contentType: String = "application/json"
    ) async throws -> HTTPAnswer {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        request.headers.add(name: "Content-Type", value: contentType)
        let chunks = stride(from: 0, to: body.count, by: chunkSize).map {
            ByteBuffer(bytes: body[$0..<min(body.count, $0 + chunkSize)])
        }
        let stream = AsyncStream<ByteBuffer> { continuation in
            for chunk in chunks { continuation.yield(chunk) }
            continuation.finish()
        }
        request.body = .stream(stream, length: .unknown)
        let response = try await HTTPClient.shared.execute(request, timeout: timeout)
        let bytes = try await response.body.collect(upTo: 16 << 20)
        return HTTPAnswer(
            status: Int(response.status.code), headers: response.headers, body: Array(bytes.readableBytesView))
    }

    /// The status of a GET whose body is not read (a stream that does not end).
    static func status(of url: String, token: String? = nil) async throws -> Int {
        var request = HTTPClientRequest(url: url)
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        let response = try await HTTPClient.shared.execute(request, timeout: timeout)
        return Int(response.status.code)
    }

    static func get(_ url: String, token: String? = nil, headers: [(String, String)] = []) async throws -> HTTPAnswer {
        try await send(.GET, url, token: token, headers: headers)
    }

    static func post(_ url: String, json: JSONValue, token: String? = nil) async throws -> HTTPAnswer {
        try await send(.POST, url, token: token, body: CanonicalJSON.bytes(json))
    }
}

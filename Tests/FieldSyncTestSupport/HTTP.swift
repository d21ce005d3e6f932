import AsyncHTTPClient
import FieldSyncModel
import NIOCore
import NIOHTTP1

/// Real HTTP requests over loopback, for every test that talks to a server.
public enum HTTP {
    /// How long a request may take before it is given up: only a guard against a hang, since on a machine
    /// running every suite at once an answer that takes milliseconds alone may take a minute or more.
    public static let timeout: TimeAmount = .seconds(300)

    /// The client every test's request goes through. Unlike `HTTPClient.shared` (which gives up on an answer
    /// after 90 s without a byte), it waits as long as ``timeout``: the same guard for a whole request and
    /// for its silences, so a server starved by every suite at once is waited for, and a hang still ends.
    public static let client = HTTPClient(
        eventLoopGroupProvider: .singleton,
        configuration: HTTPClient.Configuration(timeout: .init(connect: .seconds(60), read: timeout)))

    public static func send(
        _ method: HTTPMethod, _ url: String, token: String? = nil, body: [UInt8]? = nil,
        contentType: String? = "application/json", headers: [(String, String)] = [], timeout: TimeAmount = HTTP.timeout
    ) async throws -> HTTPAnswer {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if let body {
            request.body = .bytes(ByteBuffer(bytes: body))
            if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
        }
        return try await execute(request, token: token, headers: headers, timeout: timeout)
    }

    /// A POST whose body goes out in chunks of `chunkSize` bytes with no `Content-Length` (chunked
    /// transfer coding): the server learns its length only by reading it.
    public static func sendChunked(
        _ url: String, token: String? = nil, body: [UInt8], chunkSize: Int = 8 << 10,
        contentType: String = "application/json"
    ) async throws -> HTTPAnswer {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: contentType)
        let chunks = stride(from: 0, to: body.count, by: chunkSize).map {
            ByteBuffer(bytes: body[$0..<min(body.count, $0 + chunkSize)])
        }
        let stream = AsyncStream<ByteBuffer> { continuation in
            for chunk in chunks { continuation.yield(chunk) }
            continuation.finish()
        }
        request.body = .stream(stream, length: .unknown)
        return try await execute(request, token: token)
    }

    /// The status of a GET whose body is not read (a stream that does not end).
    public static func status(of url: String, token: String? = nil) async throws -> Int {
        var request = HTTPClientRequest(url: url)
        authorize(&request, token: token)
        let started = ContinuousClock.now
        do {
            return Int(try await client.execute(request, timeout: timeout).status.code)
        } catch {
            throw HTTPRequestFailed(request: request, after: ContinuousClock.now - started, error: error)
        }
    }

    public static func get(
        _ url: String, token: String? = nil, headers: [(String, String)] = []
    ) async throws -> HTTPAnswer {
        try await send(.GET, url, token: token, headers: headers)
    }

    public static func post(_ url: String, json: JSONValue, token: String? = nil) async throws -> HTTPAnswer {
        try await send(.POST, url, token: token, body: CanonicalJSON.bytes(json))
    }

    /// Sends `request` with `token` and `headers` and reads its answer whole.
    public static func execute(
        _ request: HTTPClientRequest, token: String? = nil, headers: [(String, String)] = [],
        timeout: TimeAmount = HTTP.timeout
    ) async throws -> HTTPAnswer {
        var request = request
        authorize(&request, token: token)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let started = ContinuousClock.now
        do {
            let response = try await client.execute(request, timeout: timeout)
            let bytes = try await response.body.collect(upTo: 512 << 20)
            return HTTPAnswer(
                status: Int(response.status.code), headers: response.headers, body: Array(bytes.readableBytesView))
        } catch {
            throw HTTPRequestFailed(request: request, after: ContinuousClock.now - started, error: error)
        }
    }

    private static func authorize(_ request: inout HTTPClientRequest, token: String?) {
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
    }
}

/// A request that got no whole answer: which one, after how long, and why (the client's error alone names
/// neither the request nor the wait).
public struct HTTPRequestFailed: Error, CustomStringConvertible {
    public let method: HTTPMethod
    public let url: String
    public let after: Duration
    public let error: any Error

    init(request: HTTPClientRequest, after: Duration, error: any Error) {
        self.method = request.method
        self.url = request.url
        self.after = after
        self.error = error
    }

    public var description: String {
        "\(method) \(url) failed after \(after): \(error)"
    }
}

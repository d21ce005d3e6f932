import AsyncHTTPClient
import FieldSyncModel
import Foundation
import NIOCore
import NIOHTTP1

/// The server's HTTP API, called as its clients call it.
public struct FieldSyncAPI: Sendable {
    public let base: String
    public let client: HTTPClient

    public init(base: String, client: HTTPClient) {
        self.base = base
        self.client = client
    }

    /// A response, read whole.
    public struct Answer: Sendable {
        public var status: UInt
        public var body: [UInt8]

        public var json: JSONValue {
            get throws { try JSONParser.parse(body) }
        }

        public var text: String { String(decoding: body.prefix(2000), as: UTF8.self) }
    }

    public func get(_ path: String, token: String? = nil) async throws -> Answer {
        try await send(.GET, path, token: token, body: nil, contentType: nil)
    }

    public func post(
        _ path: String, token: String?, body: [UInt8], contentType: String = "application/json"
    ) async throws -> Answer {
        try await send(.POST, path, token: token, body: body, contentType: contentType)
    }

    public func post(_ path: String, token: String?, json: JSONValue) async throws -> Answer {
        try await post(path, token: token, body: CanonicalJSON.bytes(json))
    }

    /// Reads a response a buffer at a time without keeping it: how many bytes and lines it had.
    public func stream(_ path: String, token: String) async throws -> (bytes: Int, lines: Int) {
        var request = HTTPClientRequest(url: base + path)
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        let response = try await client.execute(request, timeout: .hours(1))
        guard response.status == .ok else {
            let body = try await response.body.collect(upTo: 1 << 20)
            throw BenchmarkFailure("GET \(path): \(response.status.code) \(String(buffer: body))")
        }
        var bytes = 0
        var lines = 0
        for try await buffer in response.body {
            bytes += buffer.readableBytes
            lines += buffer.readableBytesView.reduce(0) { $0 + ($1 == 0x0a ? 1 : 0) }
        }
        return (bytes, lines)
    }

    /// Enrolls a device with a code: its bearer token. A reporter sends its public key; other roles may not.
    public func enroll(code: String, publicKey: PublicKey? = nil) async throws -> String {
        var request: [String: JSONValue] = ["code": .string(code)]
        if let publicKey { request["publicKey"] = .string(publicKey.base64URL) }
        let answer = try await post("/v1/enroll", token: nil, json: .object(request))
        guard answer.status == 201, let token = try answer.json["token"]?.stringValue else {
            throw BenchmarkFailure("enrollment failed: \(answer.status) \(answer.text)")
        }
        return token
    }

    /// A one-time enrollment code, issued by an admin's device; a reporter's names the stations or seats
    /// the device is assigned to.
    public func issueCode(
        role: String, name: String, admin: String, stations: [String] = [], seats: [String] = []
    ) async throws -> String {
        var request: [String: JSONValue] = ["role": .string(role), "name": .string(name)]
        if !stations.isEmpty { request["stations"] = .array(stations.map { .string($0) }) }
        if !seats.isEmpty { request["constituencies"] = .array(seats.map { .string($0) }) }
        let answer = try await post("/v1/enrollment-codes", token: admin, json: .object(request))
        guard answer.status == 201, let code = try answer.json["code"]?.stringValue else {
            throw BenchmarkFailure("issuing a code failed: \(answer.status) \(answer.text)")
        }
        return code
    }

    /// The position of the global chain's head.
    public func head(auditor: String) async throws -> Int64 {
        let answer = try await get("/v1/chain/head", token: auditor)
        guard answer.status == 200, let position = try answer.json["position"]?.integerValue else {
            throw BenchmarkFailure("GET /v1/chain/head: \(answer.status) \(answer.text)")
        }
        return position
    }

    /// The projector's checkpoint, as `GET /v1/tallies` says it.
    public func talliesPosition(auditor: String) async throws -> Int64 {
        let answer = try await get("/v1/tallies", token: auditor)
        guard answer.status == 200, let position = try answer.json["position"]?.integerValue else {
            throw BenchmarkFailure("GET /v1/tallies: \(answer.status) \(answer.text)")
        }
        return position
    }

    /// Pushes a batch of signed events; how many were appended, and the first refusal if any.
    public func push(_ events: [JSONValue], token: String) async throws -> (appended: Int, refusal: String?) {
        let answer = try await post(
            "/v1/events", token: token, body: CanonicalJSON.bytes(.array(events)),
            contentType: "application/cloudevents-batch+json")
        guard answer.status == 200 else { throw BenchmarkFailure("a push failed: \(answer.status) \(answer.text)") }
        var appended = 0
        var refusal: String?
        for result in try answer.json["results"]?.arrayValue ?? [] {
            if result["outcome"] == "appended" {
                appended += 1
            } else if refusal == nil {
                refusal = result.description
            }
        }
        return (appended, refusal)
    }

    private func send(
        _ method: HTTPMethod, _ path: String, token: String?, body: [UInt8]?, contentType: String?
    ) async throws -> Answer {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await client.execute(request, timeout: .seconds(600))
        let bytes = try await response.body.collect(upTo: 256 << 20)
        return Answer(status: response.status.code, body: Array(bytes.readableBytesView))
    }
}

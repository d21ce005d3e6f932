import AsyncHTTPClient
import FieldSyncModel
import Foundation
import NIOCore
import NIOHTTP1

/// What an editor's or auditor's tools ask of a FieldSync server, over HTTP with the device's token:
/// tally documents, the signed chain head, the NDJSON export of the log, streamed, and editors' reviews.
public struct AuditServer: Sendable {
    public let credentials: ReadCredentials
    let client: HTTPClient

    public init(credentials: ReadCredentials, client: HTTPClient = AuditServer.client) {
        self.credentials = credentials
        self.client = client
    }

    /// The body of `GET <path>` (such as `/v1/tallies?position=12`), which must answer 200.
    public func document(
        _ path: String, timeout: TimeAmount = .minutes(10)
    ) async throws(AuditServerError)
        -> [UInt8]
    {
        let response = try await send(path, timeout: timeout)
        do {
            let body = try await response.body.collect(upTo: 1 << 30)
            return Array(body.readableBytesView)
        } catch {
            throw AuditServerError(.unreachable, "the answer to GET \(path) broke off: \(error)")
        }
    }

    /// A JSON document: `GET <path>`, parsed.
    public func json(_ path: String) async throws(AuditServerError) -> JSONValue {
        let body = try await document(path)
        do {
            return try JSONParser.parse(body)
        } catch {
            throw AuditServerError(.badAnswer, "the answer to GET \(path) is not JSON: \(error)")
        }
    }

    /// `POST <path>` with a JSON body, which must answer 200 or 201: the answer, parsed.
    public func post(_ path: String, json body: JSONValue) async throws(AuditServerError) -> JSONValue {
        let response = try await send(path, method: .POST, body: CanonicalJSON.bytes(body), timeout: .seconds(60))
        let answer: ByteBuffer
        do {
            answer = try await response.body.collect(upTo: 1 << 20)
        } catch {
            throw AuditServerError(.unreachable, "the answer to POST \(path) broke off: \(error)")
        }
        do {
            return try JSONParser.parse(answer.readableBytesView)
        } catch {
            throw AuditServerError(.badAnswer, "the answer to POST \(path) is not JSON: \(error)")
        }
    }

    /// `GET /v1/chain/head`: the global chain's head, signed by the server.
    public func chainHead() async throws(AuditServerError) -> SignedChainHead {
        let body = try await document("/v1/chain/head", timeout: .seconds(60))
        guard let head = SignedChainHead(bytes: body), head.position != nil else {
            throw AuditServerError(
                .badAnswer,
                "the answer to GET /v1/chain/head is not a signed chain head: \(String(decoding: body.prefix(200), as: UTF8.self))"
            )
        }
        return head
    }

    /// `GET /v1/events?after=N&limit=M`: hands each piece of the NDJSON body to `receive` as it arrives.
    /// Throws ``AuditServerError`` with ``AuditServerError/Kind/unreachable`` if the body breaks off.
    public func events(
        after: Int64, limit: Int64, receive: (ByteBuffer) throws -> Void
    ) async throws {
        let path = "/v1/events?after=\(after)&limit=\(limit)"
        let response = try await send(path, timeout: .hours(24 * 7))
        var pieces = response.body.makeAsyncIterator()
        while true {
            let piece: ByteBuffer?
            do {
                piece = try await pieces.next()
            } catch {
                throw AuditServerError(.unreachable, "the export broke off: \(error)")
            }
            guard let piece else { return }
            try receive(piece)
        }
    }

    private func send(
        _ path: String, method: HTTPMethod = .GET, body: [UInt8]? = nil, timeout: TimeAmount
    ) async throws(AuditServerError) -> HTTPClientResponse {
        var request = HTTPClientRequest(url: credentials.server + path)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(credentials.token)")
        request.headers.add(name: "Accept", value: "application/json, application/x-ndjson")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, timeout: timeout)
        } catch {
            throw AuditServerError(.unreachable, "cannot reach \(credentials.server): \(error)")
        }
        guard response.status.code == 200 || (method == .POST && response.status.code == 201) else {
            let body = (try? await response.body.collect(upTo: 1 << 20)).map { Array($0.readableBytesView) } ?? []
            throw AuditServerError(
                .refused(status: Int(response.status.code)),
                "the server refused \(method) \(path): \(Self.problem(status: Int(response.status.code), body: body))")
        }
        return response
    }

    /// `403 Forbidden — a reporter's device may not read tallies`, from problem details when there are some.
    static func problem(status: Int, body: [UInt8]) -> String {
        ProblemDetails(body: body)?.line(status: status) ?? "HTTP \(status)"
    }
}

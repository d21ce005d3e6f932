import AsyncHTTPClient
import FieldSyncModel
import NIOCore
import NIOHTTP1

/// What an editor's or auditor's tools ask of a FieldSync server, with the device's token: tally
/// documents, the signed chain head, the NDJSON export of the log, streamed, and editors' reviews.
///
/// Its calls go through the client's one HTTP layer, ``ServerAPI``; a failure is told as an
/// ``AuditServerError``, in one line for the command line.
public struct AuditServer: Sendable {
    public let credentials: ReadCredentials
    let api: ServerAPI

    public init(credentials: ReadCredentials, client: HTTPClient = AuditServer.client) {
        self.credentials = credentials
        self.api = ServerAPI(client: client, server: credentials.server, token: credentials.token)
    }

    /// The body of `GET <path>` (such as `/v1/tallies?position=12`), which must answer 200.
    public func document(_ path: String, timeout: TimeAmount = .minutes(10)) async throws(AuditServerError) -> [UInt8] {
        try await send(.GET, path, timeout: timeout, limit: 1 << 30).body
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
        try await post(path, body: CanonicalJSON.bytes(body), contentType: "application/json", timeout: .seconds(60))
    }

    /// `POST <path>` with `body` of `contentType`, which must answer 200 or 201: the JSON answer, parsed. The
    /// default `timeout` leaves room for a large import.
    public func post(
        _ path: String, body: [UInt8], contentType: String, timeout: TimeAmount = .minutes(10)
    ) async throws(AuditServerError) -> JSONValue {
        let answer = try await send(
            .POST, path, body: body, contentType: contentType, timeout: timeout, limit: 1 << 20)
        do {
            return try JSONParser.parse(answer.body)
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
        let response: HTTPClientResponse
        do {
            response = try await api.response(.GET, path, headers: Self.accept, timeout: .hours(24 * 7))
        } catch {
            throw AuditServerError(error)
        }
        guard response.status == .ok else {
            let body = (try? await response.body.collect(upTo: 1 << 20)).map { Array($0.readableBytesView) } ?? []
            throw refusal(.GET, path, status: Int(response.status.code), body: body)
        }
        try await receiveBody(of: response, brokeOff: "the export broke off", receive: receive)
    }

    /// Hands the pieces of `response`'s body to `receive` as they arrive; a body that breaks off is
    /// `.unreachable` ("<brokeOff>: <why>"), after the pieces that arrived.
    func receiveBody(
        of response: HTTPClientResponse, brokeOff: String, receive: (ByteBuffer) throws -> Void
    ) async throws {
        var pieces = response.body.makeAsyncIterator()
        while true {
            let piece: ByteBuffer?
            do {
                piece = try await pieces.next()
            } catch {
                throw AuditServerError(.unreachable, "\(brokeOff): \(api.describe(error))")
            }
            guard let piece else { return }
            try receive(piece)
        }
    }

    /// What the tools accept: JSON documents and the NDJSON export.
    private static let accept = [("Accept", "application/json, application/x-ndjson")]

    /// `method path`, which must answer 200 (or 201 to a POST), read whole.
    private func send(
        _ method: HTTPMethod, _ path: String, body: [UInt8]? = nil, contentType: String = "application/json",
        timeout: TimeAmount, limit: Int
    ) async throws(AuditServerError) -> ServerAPI.Answer {
        let answer: ServerAPI.Answer
        do {
            answer = try await api.send(
                method, path, body: body, contentType: contentType, headers: Self.accept, timeout: timeout,
                limit: limit)
        } catch {
            throw AuditServerError(error)
        }
        guard answer.status == 200 || (method == .POST && answer.status == 201) else {
            throw refusal(method, path, status: answer.status, body: answer.body)
        }
        return answer
    }

    /// `the server refused GET /v1/tallies: 403 Forbidden — …`.
    func refusal(_ method: HTTPMethod, _ path: String, status: Int, body: [UInt8]) -> AuditServerError {
        AuditServerError(
            .refused(status: status),
            "the server refused \(method) \(path): \(Self.problem(status: status, body: body))",
            errors: ProblemDetails(body: body)?.errors ?? [])
    }

    /// `403 Forbidden — a reporter's device may not read tallies`, from problem details when there are some.
    static func problem(status: Int, body: [UInt8]) -> String {
        ProblemDetails(body: body)?.line(status: status) ?? "HTTP \(status)"
    }
}

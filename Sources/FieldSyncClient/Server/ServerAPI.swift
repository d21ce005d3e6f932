import AsyncHTTPClient
import FieldSyncModel
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The calls a reporter's device makes to the FieldSync server, over one shared `HTTPClient`.
///
/// Each call makes one request and sorts every failure into a ``ServerAPIError``; retrying is the
/// caller's business (see ``Backoff``).
public struct ServerAPI: Sendable {
    public let client: HTTPClient
    /// The server's base URL, without a trailing slash.
    public let server: String
    /// The bearer token; nil before enrollment.
    public let token: String?
    /// How long one request may take, answer included.
    public var requestTimeout: TimeAmount = .seconds(120)

    public init(client: HTTPClient, server: String, token: String?) {
        self.client = client
        self.server = server
        self.token = token
    }

    /// The client configuration: short connect timeout, so an unreachable server is noticed quickly.
    /// `certificate`: a PEM file of certificates to trust besides the system's, for a server whose TLS
    /// certificate comes from the newsroom's own authority (or is self-signed).
    public static func configuration(trusting certificate: String? = nil) -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration(timeout: .init(connect: .seconds(5), read: .seconds(90)))
        configuration.connectionPool = .init(idleTimeout: .seconds(30))
        if let certificate {
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.additionalTrustRoots = [.file(certificate)]
            configuration.tlsConfiguration = tls
        }
        return configuration
    }

    /// The number of certificates in the PEM file at `path`; throws a one-line reason when there are none.
    public static func certificates(inPEMFile path: String) throws(ServerCertificateError) -> Int {
        let certificates: [NIOSSLCertificate]
        do {
            certificates = try NIOSSLCertificate.fromPEMFile(path)
        } catch {
            throw ServerCertificateError(path: path, problem: "not a readable PEM certificate file (\(error))")
        }
        guard !certificates.isEmpty else { throw ServerCertificateError(path: path, problem: "holds no certificate") }
        return certificates.count
    }

    /// Runs `body` with one HTTP client, shut down when `body` returns or throws. It keeps up to
    /// `connections` connections to a server open at once (more requests wait for one): as many as requests
    /// are meant to go at once, such as `fieldsync simulate --concurrency`.
    public static func withClient<T: Sendable>(
        trusting certificate: String? = nil, connections: Int = 8, _ body: (HTTPClient) async throws -> T
    ) async throws -> T {
        var configuration = Self.configuration(trusting: certificate)
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = connections
        return try await HTTPClient.withHTTPClient(configuration: configuration) { client in
            try await body(client)
        }
    }

    // MARK: Calls

    /// What `POST /v1/enroll` answers.
    public struct Enrolled: Sendable {
        public var device: DeviceID
        public var role: DeviceRole
        public var name: String
        public var token: String
        /// When the token stops working; nil: never.
        public var tokenExpires: Timestamp?
        public var position: Int64
        public var serverKey: PublicKey
        public var serverName: String
    }

    /// `POST /v1/enroll` with a one-time code and this device's public key (none for a read-only device:
    /// editor, auditor, admin). The device is enrolled under the name on the code.
    public func enroll(code: String, publicKey: PublicKey?) async throws(ServerAPIError) -> Enrolled {
        var body: [String: JSONValue] = ["code": .string(code)]
        if let publicKey { body["publicKey"] = .string(publicKey.base64URL) }
        let answer = try await send(.POST, "/v1/enroll", body: CanonicalJSON.bytes(.object(body)))
        guard answer.status == 201 else { throw failure(answer) }
        return try answer.decode(Enrolled.self, "the enrollment answer")
    }

    /// What `POST /v1/token` answers: the device's new token, and when it stops working (nil: never).
    public struct RotatedToken: Sendable {
        public var token: String
        public var expires: Timestamp?
    }

    /// `POST /v1/token` with the current token: a new one, which replaces it on the server at once.
    public func rotateToken() async throws(ServerAPIError) -> RotatedToken {
        let answer = try await send(.POST, "/v1/token")
        guard answer.status == 200 else { throw failure(answer) }
        let rotated = try answer.decode(RotatedToken.self, "the token answer")
        guard !rotated.token.isEmpty else { throw .badAnswer("the token answer's token is empty") }
        return rotated
    }

    /// `POST /v1/enrollment-codes` with an admin's token: a one-time code for a device of `role`, a
    /// reporter's assigned to `stations`.
    public func enrollmentCode(
        role: DeviceRole, name: String, stations: [StationCode] = []
    ) async throws(ServerAPIError) -> String {
        var body: [String: JSONValue] = ["role": .string(role.rawValue), "name": .string(name)]
        if !stations.isEmpty { body["stations"] = .array(stations.map { .string($0.rawValue) }) }
        let answer = try await send(.POST, "/v1/enrollment-codes", body: CanonicalJSON.bytes(.object(body)))
        guard answer.status == 201 else { throw failure(answer) }
        return try answer.decode(IssuedCode.self, "the enrollment code answer").code
    }

    /// `GET /v1/devices/{device}/head`.
    public func head(of device: DeviceID) async throws(ServerAPIError) -> DeviceHead {
        let answer = try await send(.GET, "/v1/devices/\(device.rawValue)/head")
        guard answer.status == 200 else { throw failure(answer) }
        return try answer.decode(DeviceHead.self, "the device head")
    }

    /// `POST /v1/events` with a batch body already written (a JSON array of events). A batch refused
    /// whole (422 `batch-invalid`) is answered like any other, with its results and no receipt.
    public func push(batch: [UInt8]) async throws(ServerAPIError) -> PushAnswer {
        let answer = try await send(
            .POST, "/v1/events", body: batch, contentType: "application/cloudevents-batch+json")
        if answer.status == 422, let problem = ProblemDetails(body: answer.body), problem.kind == .batchInvalid,
            !problem.results.isEmpty
        {
            return PushAnswer(results: problem.results, receipt: nil)
        }
        guard answer.status == 200 else { throw failure(answer) }
        return try PushAnswer(body: answer.body)
    }

    /// What `GET /v1/reference` answers.
    public enum ReferenceAnswer: Sendable {
        case unchanged
        case changed(body: [UInt8], etag: String?)
    }

    /// `GET /v1/reference`, conditional on the ETag kept from last time.
    public func reference(ifNoneMatch etag: String?) async throws(ServerAPIError) -> ReferenceAnswer {
        let answer = try await send(.GET, "/v1/reference", headers: etag.map { [("If-None-Match", $0)] } ?? [])
        switch answer.status {
        case 304: return .unchanged
        case 200: return .changed(body: answer.body, etag: answer.headers.first(name: "etag"))
        default: throw failure(answer)
        }
    }

    /// `GET /v1/devices/{device}/assignment`: the device's assignment events, as export lines.
    public func assignment(of device: DeviceID) async throws(ServerAPIError) -> [UInt8] {
        let answer = try await send(.GET, "/v1/devices/\(device.rawValue)/assignment")
        guard answer.status == 200 else { throw failure(answer) }
        guard case .array(let events)? = try answer.json()["events"] else {
            throw .badAnswer("the assignment answer has no events")
        }
        var lines = [UInt8]()
        for event in events {
            do {
                try StoredEvent(json: event).writeLine(into: &lines)
            } catch {
                throw .badAnswer("an assignment event does not read: \(error)")
            }
        }
        return lines
    }

    // MARK: HTTP

    struct Answer {
        var status: Int
        var headers: HTTPHeaders
        var body: [UInt8]

        /// The body, read strictly: for signed or hashed documents.
        func json() throws(ServerAPIError) -> JSONValue {
            do {
                return try JSONParser.parse(body)
            } catch {
                throw .badAnswer("not JSON (HTTP \(status)): \(error)")
            }
        }

        /// The body as `type`; `what` names it in the error.
        func decode<Value: Decodable>(_ type: Value.Type, _ what: String) throws(ServerAPIError) -> Value {
            do {
                return try ClientJSON.decode(type, from: body)
            } catch {
                throw .badAnswer("\(what) cannot be read (HTTP \(status)): \(error)")
            }
        }
    }

    /// The request for `method path`: the server's base URL, the bearer token when there is one, the body
    /// with its media type. Every call to the server is made of one.
    func request(
        _ method: HTTPMethod, _ path: String, body: [UInt8]?, contentType: String, headers: [(String, String)]
    ) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: server + path)
        request.method = method
        request.headers.add(name: "User-Agent", value: "fieldsync")
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body {
            request.headers.add(name: "Content-Type", value: contentType)
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        return request
    }

    /// Sends `method path` and gives the answer as it starts, its body still to come; a network failure is
    /// ``ServerAPIError/unreachable(_:)``. `timeout` (default ``requestTimeout``) bounds the whole exchange.
    func response(
        _ method: HTTPMethod, _ path: String, body: [UInt8]? = nil, contentType: String = "application/json",
        headers: [(String, String)] = [], timeout: TimeAmount? = nil
    ) async throws(ServerAPIError) -> HTTPClientResponse {
        let request = request(method, path, body: body, contentType: contentType, headers: headers)
        do {
            return try await client.execute(request, timeout: timeout ?? requestTimeout)
        } catch {
            throw .unreachable("cannot reach \(server): \(describe(error))")
        }
    }

    /// Sends `method path` and reads the whole answer, at most `limit` bytes of it.
    func send(
        _ method: HTTPMethod, _ path: String, body: [UInt8]? = nil, contentType: String = "application/json",
        headers: [(String, String)] = [], timeout: TimeAmount? = nil, limit: Int = 256 << 20
    ) async throws(ServerAPIError) -> Answer {
        let response = try await response(
            method, path, body: body, contentType: contentType, headers: headers, timeout: timeout)
        do {
            let bytes = try await response.body.collect(upTo: limit)
            return Answer(
                status: Int(response.status.code), headers: response.headers, body: Array(bytes.readableBytesView))
        } catch {
            throw .unreachable("the answer to \(method) \(path) from \(server) broke off: \(describe(error))")
        }
    }

    func failure(_ answer: Answer) -> ServerAPIError {
        let problem = ProblemDetails(body: answer.body)
        if let kind = problem?.kind, kind.refusesEnrollmentCode || kind == .deviceRevoked {
            return .refused(status: answer.status, problem)
        }
        if ServerAPIError.refusalStatuses.contains(answer.status) { return .refused(status: answer.status, problem) }
        switch answer.status {
        // Too many requests (a device pushing beyond its rate): worth trying again, after a while.
        case 429, 500...: return .serverFailure(status: answer.status, problem)
        case 400..<500: return .rejected(status: answer.status, problem)
        default: return .badAnswer("unexpected HTTP \(answer.status)")
        }
    }

    /// A network failure in a few words: `nothing answers (connection refused)`.
    func describe(_ error: any Error) -> String {
        if error is CancellationError { return "cancelled" }
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout: return "no answer (timed out connecting)"
            case .readTimeout, .deadlineExceeded: return "it took too long to answer"
            case .remoteConnectionClosed: return "the connection was closed before the answer came"
            default: break
            }
        }
        switch Self.errorNumber(of: error) {
        case ECONNREFUSED: return "nothing answers (connection refused)"
        case ECONNRESET, EPIPE: return "the connection was cut"
        default: break
        }
        let text = String(describing: error)
        return text.count > 300 ? String(text.prefix(300)) + "…" : text
    }

    /// The system's error number behind a network failure, when it has one: that of an `IOError`, or of
    /// the first address a connection was tried on.
    static func errorNumber(of error: any Error) -> CInt? {
        switch error {
        case let error as IOError: error.errnoCode
        case let error as NIOConnectionError: error.connectionErrors.lazy.compactMap { errorNumber(of: $0.error) }.first
        default: nil
        }
    }
}

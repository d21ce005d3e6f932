import FieldSyncModel
import FieldSyncStore
import Hummingbird

extension FieldSyncServer {
    /// `GET /v1/devices/{device}/head` → {device, seq, hash, position}: the last event the server holds of
    /// the device (seq 0, zero hash and position 0 when none). A reporter may read only its own.
    func deviceHead(_ text: String, caller: Caller) async throws -> Response {
        guard let device = DeviceID(text) else {
            throw Problem.invalidRequest(
                field: "device", code: .invalidFormat, problem: "\"\(text)\" is not a device id",
                allowed: "20 lowercase hex digits, or server")
        }
        if caller.role == .reporter && device != caller.device {
            throw Problem(
                .forbidden, "a reporter's device may read only its own head (\(caller.device)), not \(device)'s")
        }
        let head = try await events.deviceHead(device.rawValue) ?? .none
        return JSONResponse.make(head.jsonValue(of: device))
    }

    /// `GET /v1/events?after=N&limit=M` → NDJSON: the stored events after position N (at most M), one
    /// export line each, in position order. Read and written a page at a time: memory stays bounded
    /// however long the log. At most ``ServerConfiguration/maximumConcurrentExports`` are sent at once
    /// (503 `exports-busy` beyond).
    func exportEvents(_ request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        let after = try Self.integerParameter(query.get("after"), name: "after", minimum: 0) ?? 0
        let limit = try Self.integerParameter(query.get("limit"), name: "limit", minimum: 1)
        let slot = try exports.take()
        let stream = events.stream(
            after: after, until: limit.map { after + $0 }, pageSize: configuration.exportPageSize)
        let body = ResponseBody { writer in
            defer { slot.release() }
            var buffer = [UInt8]()
            buffer.reserveCapacity(1 << 17)
            for try await record in stream {
                try record.storedEvent().writeLine(into: &buffer)
                if buffer.count >= 1 << 16 {
                    try await writer.write(ByteBuffer(bytes: buffer))
                    buffer.removeAll(keepingCapacity: true)
                }
            }
            if !buffer.isEmpty { try await writer.write(ByteBuffer(bytes: buffer)) }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "application/x-ndjson"], body: body)
    }

    /// `GET /v1/chain/head` → the global chain's head signed by the server:
    /// {type: "fieldsync.chain-head.v1", position, chain, time, publicKey, signature}.
    func chainHead() async throws -> Response {
        let head = try await events.head()
        let signed = SignedObject.signed(
            [
                "type": "fieldsync.chain-head.v1", "position": .integer(head.position),
                "chain": .string(head.chain.hex), "time": .string(Timestamp.now().rfc3339UTC),
                "publicKey": .string(publicKey.base64URL),
            ], with: author.key)
        return JSONResponse.make(.object(signed))
    }

    /// `GET /v1/reference` → NDJSON export lines of the server's published reference events (identity,
    /// constituencies, stations, candidates), with a strong `ETag` (the position of the last one) and
    /// 304 Not Modified for a matching `If-None-Match`. Gzip-encoded when `Accept-Encoding` takes gzip: the
    /// lines are kept compressed (``PublishedLines``), and sent so without compressing them again.
    func referenceEvents(_ request: Request) async -> Response {
        let snapshot = await reference.snapshot
        let tag = "\"\(snapshot.publishedPosition)\""
        if let wanted = request.headers[.ifNoneMatch], Self.matches(wanted, tag: tag) {
            return Response(status: .notModified, headers: [.eTag: tag])
        }
        let gzip = LiveEncoding.acceptsGzip(request.headers[.acceptEncoding])
        var headers: HTTPFields = [.contentType: "application/x-ndjson", .eTag: tag, .vary: "Accept-Encoding"]
        if gzip { headers[.contentEncoding] = "gzip" }
        let lines = snapshot.publishedLines
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                try await lines.write(to: &writer, gzip: gzip)
                try await writer.finish(nil)
            })
    }

    /// Whether an `If-None-Match` value (`*` or a list of entity tags) names `tag`.
    static func matches(_ ifNoneMatch: String, tag: String) -> Bool {
        ifNoneMatch.split(separator: ",").contains { candidate in
            let candidate = candidate.trimmingPrefix(" ").split(separator: " ").first.map(String.init) ?? ""
            return candidate == "*" || candidate == tag || candidate == "W/" + tag
        }
    }

    /// A query parameter that must be an integer from `minimum` to 2^53 − 1 when present: the protocol's
    /// integers (positions, counts) stay within that range, and sums of two of them cannot overflow.
    static func integerParameter(_ text: String?, name: String, minimum: Int64) throws -> Int64? {
        guard let text else { return nil }
        guard let value = Int64(text), value >= minimum, value <= JSONValue.maxSafeInteger else {
            let allowed = "an integer from \(minimum) to \(JSONValue.maxSafeInteger)"
            throw Problem.invalidRequest(
                field: name, code: .invalidFormat, problem: "\"\(text)\" is not \(allowed)", allowed: allowed)
        }
        return value
    }
}

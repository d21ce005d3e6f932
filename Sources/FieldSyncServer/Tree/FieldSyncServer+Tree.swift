import FieldSyncModel
import FieldSyncStore
import Hummingbird

extension FieldSyncServer {
    /// The most heads one `GET /v1/tree/heads` answers.
    static let treeHeadsPageLimit: Int64 = 1000

    /// `GET /v1/tree/head` → the latest signed tree head, signing one for the log as it stands when the log
    /// grew and the last is old enough (``TreeHeadSigner``): {type, size, root, time, publicKey, signature}.
    func treeHead() async throws -> Response {
        let head = try await treeHeads.current()
        return Self.ndjson([head.document], contentType: "application/json")
    }

    /// `GET /v1/tree/heads?after=SIZE&limit=N` → NDJSON: the kept signed heads of sizes above SIZE (every
    /// head without it), smallest first, at most N (at most 1000).
    func treeHeadList(_ request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        let after = try Self.integerParameter(query.get("after"), name: "after", minimum: 0) ?? -1
        let limit = try Self.integerParameter(query.get("limit"), name: "limit", minimum: 1) ?? Self.treeHeadsPageLimit
        let heads = try await events.treeHeads(after: after, limit: Int(min(limit, Self.treeHeadsPageLimit)))
        return Self.ndjson(heads.map(\.document), contentType: "application/x-ndjson")
    }

    /// `GET /v1/tree/inclusion?position=N&size=S` → {position, size, path}: the inclusion proof of the event
    /// at position N in the tree of the first S events, S at most the latest signed head's size.
    func inclusionProof(_ request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        let position = try Self.requiredInteger(query.get("position"), name: "position", minimum: 1)
        let size = try Self.requiredInteger(query.get("size"), name: "size", minimum: 1)
        guard position <= size else {
            throw Problem.invalidRequest(
                field: "position", code: .outOfRange, problem: "position \(position) is not in a tree of size \(size)",
                allowed: "a position from 1 to size")
        }
        try await requireSigned(size: size, name: "size")
        let proof = try await events.inclusionProof(position: position, size: size)
        return JSONResponse.make(
            [
                "position": .integer(position), "size": .integer(size),
                "path": .array(proof.path.map { .string($0.hex) }),
            ])
    }

    /// `GET /v1/tree/consistency?from=A&to=B` → {from, to, path}: the consistency proof from the tree of the
    /// first A events to that of the first B, B at most the latest signed head's size.
    func consistencyProof(_ request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        let from = try Self.requiredInteger(query.get("from"), name: "from", minimum: 1)
        let to = try Self.requiredInteger(query.get("to"), name: "to", minimum: 1)
        guard from <= to else {
            throw Problem.invalidRequest(
                field: "from", code: .outOfRange, problem: "from \(from) is beyond to \(to): a log only grows",
                allowed: "a size from 1 to `to`")
        }
        try await requireSigned(size: to, name: "to")
        let proof = try await events.consistencyProof(from: from, to: to)
        return JSONResponse.make(
            ["from": .integer(from), "to": .integer(to), "path": .array(proof.path.map { .string($0.hex) })])
    }

    /// Throws 404 `beyond-tree-head` unless a signed head covers `size` events.
    private func requireSigned(size: Int64, name: String) async throws {
        let head = try await treeHeads.current()
        guard size <= head.head.size else {
            throw Problem(
                .beyondTreeHead,
                "\(name): no signed tree head has \(size) events; the latest has \(head.head.size) (GET /v1/tree/head)",
                extensions: ["treeSize": .integer(head.head.size)])
        }
    }

    /// A query parameter that must be present and an integer from `minimum` to 2^53 − 1.
    static func requiredInteger(_ text: String?, name: String, minimum: Int64) throws -> Int64 {
        guard let value = try integerParameter(text, name: name, minimum: minimum) else {
            throw Problem.invalidRequest(
                field: name, code: .missingMember, problem: "\(name) is required",
                allowed: "an integer from \(minimum) to \(JSONValue.maxSafeInteger)")
        }
        return value
    }

    /// Documents already in canonical JSON, a line each.
    private static func ndjson(_ documents: [String], contentType: String) -> Response {
        var buffer = ByteBuffer()
        for document in documents {
            buffer.writeString(document)
            buffer.writeInteger(UInt8(0x0a))
        }
        return Response(status: .ok, headers: [.contentType: contentType], body: ResponseBody(byteBuffer: buffer))
    }
}

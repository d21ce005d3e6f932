import FieldSyncModel
import FieldSyncStore
import Hummingbird

extension FieldSyncServer {
    /// The most heads one `GET /v1/tree/heads` answers.
    static let treeHeadsPageLimit: Int64 = 1000

    /// `GET /v1/tree/head` → the latest signed tree head, signing one for the log as it stands when the log
    /// grew and the last is old enough (``TreeHeadSigner``): {type, size, root, time, publicKey, signature,
    /// cosignatures}.
    func treeHead() async throws -> Response {
        let head = try await treeHeads.current()
        return Self.ndjson(try await servedHeads([head]), contentType: "application/json")
    }

    /// `GET /v1/tree/heads?after=SIZE&limit=N` → NDJSON: the kept signed heads of sizes above SIZE (every
    /// head without it), smallest first, at most N (at most 1000), each with its cosignatures.
    func treeHeadList(_ request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        let after = try Self.integerParameter(query.get("after"), name: "after", minimum: 0) ?? -1
        let limit = try Self.integerParameter(query.get("limit"), name: "limit", minimum: 1) ?? Self.treeHeadsPageLimit
        let heads = try await events.treeHeads(after: after, limit: Int(min(limit, Self.treeHeadsPageLimit)))
        return Self.ndjson(try await servedHeads(heads), contentType: "application/x-ndjson")
    }

    /// `GET /v1/tree/inclusion?position=N&size=S` → {position, size, path}: the inclusion proof of the event
    /// at position N in the tree of the first S events, S at most the latest signed head's size.
    func inclusionProof(_ request: Request) async throws -> Response {
        let (position, size) = try await proofArguments(
            request, "position", "size", problem: { "position \($0) is not in a tree of size \($1)" })
        let proof = try await events.inclusionProof(position: position, size: size)
        return Self.proofResponse(["position": .integer(position), "size": .integer(size)], path: proof.path)
    }

    /// `GET /v1/tree/consistency?from=A&to=B` → {from, to, path}: the consistency proof from the tree of the
    /// first A events to that of the first B, B at most the latest signed head's size.
    func consistencyProof(_ request: Request) async throws -> Response {
        let (from, to) = try await proofArguments(
            request, "from", "to", problem: { "from \($0) is beyond to \($1): a log only grows" })
        let proof = try await events.consistencyProof(from: from, to: to)
        return Self.proofResponse(["from": .integer(from), "to": .integer(to)], path: proof.path)
    }

    /// A proof's two query parameters, `first` ≤ `second`, both from 1 and `second` at most the size of the
    /// latest signed head: 400 `invalid-request` (saying `problem` when `first` > `second`) or 404
    /// `beyond-tree-head` otherwise.
    private func proofArguments(
        _ request: Request, _ first: String, _ second: String, problem: (Int64, Int64) -> String
    ) async throws -> (Int64, Int64) {
        let query = request.uri.queryParameters
        let small = try Self.requiredInteger(query.get(first), name: first, minimum: 1)
        let large = try Self.requiredInteger(query.get(second), name: second, minimum: 1)
        guard small <= large else {
            throw Problem.invalidRequest(
                field: first, code: .outOfRange, problem: problem(small, large), allowed: "from 1 to \(second)")
        }
        let head = try await treeHeads.current()
        guard large <= head.head.size else {
            var problem = Problem(
                .beyondTreeHead,
                "\(second): no signed tree head has \(large) events; the latest has \(head.head.size) "
                    + "(GET /v1/tree/head)")
            problem.treeSize = head.head.size
            throw problem
        }
        return (small, large)
    }

    /// A proof's answer: `members` and the `path`, hex.
    private static func proofResponse(_ members: [String: JSONValue], path: [SHA256Digest]) -> Response {
        var members = members
        members["path"] = .array(path.map { .string($0.hex) })
        return JSONResponse.make(.object(members))
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
    static func ndjson(_ documents: [String], contentType: String) -> Response {
        var buffer = ByteBuffer()
        for document in documents {
            buffer.writeString(document)
            buffer.writeInteger(UInt8(0x0a))
        }
        return Response(status: .ok, headers: [.contentType: contentType], body: ResponseBody(byteBuffer: buffer))
    }
}

import FieldSyncModel
import NIOHTTP1

extension ServerAPI {
    /// `GET /v1/tree/head`: the current signed tree head, member for member, and the bytes of the answer.
    public func treeHead() async throws(ServerAPIError) -> (head: [String: JSONValue], bytes: Int) {
        let answer = try await send(.GET, "/v1/tree/head")
        guard answer.status == 200 else { throw failure(answer) }
        guard let head = try answer.json().objectValue else { throw .badAnswer("the tree head is not an object") }
        return (head, answer.body.count)
    }

    /// `GET /v1/tree/consistency?from=&to=`: the consistency proof, and the bytes of the answer.
    public func consistencyProof(
        from: Int64, to: Int64
    ) async throws(ServerAPIError) -> (proof: ConsistencyProof, bytes: Int) {
        let answer = try await send(.GET, "/v1/tree/consistency?from=\(from)&to=\(to)")
        guard answer.status == 200 else { throw failure(answer) }
        let json = try answer.json()
        guard json["from"]?.integerValue == from, json["to"]?.integerValue == to,
            let path = json["path"]?.arrayValue?.map({ $0.stringValue.flatMap { SHA256Digest(hex: $0) } }),
            !path.contains(nil)
        else { throw .badAnswer("the consistency proof from \(from) to \(to) cannot be read") }
        return (ConsistencyProof(from: from, to: to, path: path.map { $0! }), answer.body.count)
    }
}

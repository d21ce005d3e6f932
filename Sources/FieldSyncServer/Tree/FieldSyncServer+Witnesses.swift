import FieldSyncModel
import FieldSyncStore
import Hummingbird
import Logging

extension FieldSyncServer {
    /// `POST /v1/tree/cosignatures` {a cosignature, PROTOCOL.md §17.7} (any enrolled device) → 201
    /// {size, witness, name} when kept, 200 when the witness had cosigned that head already. Refused: a body
    /// that is not a cosignature (400), a key no admin registered (403 `witness-unknown`), a bad signature or
    /// another server's key (422 `cosignature-invalid`), a head this server never signed (409
    /// `tree-head-unknown`).
    func addCosignature(_ request: Request) async throws -> Response {
        let object = try await request.jsonObject(limit: configuration.maximumSmallBodyBytes)
        guard object["type"] == .string(Cosignature.type) else {
            throw Problem.invalidRequest(
                field: "type", code: .notAllowed, problem: "the body is not a cosignature",
                allowed: "\"\(Cosignature.type)\"")
        }
        guard let witness = object["witness"]?.stringValue.flatMap({ PublicKey(base64URL: $0) }) else {
            throw Problem.invalidRequest(
                field: "witness", code: .invalidFormat, problem: "witness is not a public key",
                allowed: "the witness's Ed25519 public key, base64url of 32 bytes")
        }
        guard let name = try await events.witnessName(witness) else {
            throw Problem(
                .witnessUnknown,
                "no witness is registered with key \(witness.base64URL): an admin registers it with "
                    + "fieldsync admin witness add")
        }
        guard let cosignature = Cosignature(signed: object) else {
            throw Problem(
                .cosignatureInvalid,
                "the cosignature is not signed by witness \(name)'s key, or its members are not exactly type, size, "
                    + "root, time, server, witness and signature (PROTOCOL.md §17.7)")
        }
        guard cosignature.server == publicKey.fingerprint else {
            throw Problem(
                .cosignatureInvalid,
                "the cosignature is for the server key with fingerprint \(cosignature.server.hex); this server's is "
                    + publicKey.fingerprint.hex)
        }
        let size = cosignature.head.size
        guard let kept = try await events.treeHead(size: size) else {
            throw Problem(.treeHeadUnknown, "this server signed no tree head of \(size) events")
        }
        guard kept.head == cosignature.head else {
            throw Problem(
                .treeHeadUnknown,
                "this server's head of \(size) events has root \(kept.head.root.hex) and time "
                    + "\(kept.head.time.rfc3339UTC); the cosigned head has root \(cosignature.head.root.hex) and time "
                    + "\(cosignature.head.time.rfc3339UTC)")
        }
        let document = String(decoding: CanonicalJSON.bytes(.object(object)), as: UTF8.self)
        let added = try await events.keepCosignature(size: size, witness: witness, document: document)
        return JSONResponse.make(
            ["size": .integer(size), "witness": .string(witness.base64URL), "name": .string(name)],
            status: added ? .created : .ok)
    }

    /// `POST /v1/tree/split-views` {heads: [two signed tree heads]} (any enrolled device) → 201 {size} when
    /// kept, 200 when known already: two heads of one size with different roots, both signed by this
    /// server's key. Anything else is 400 `invalid-request`.
    func addSplitView(_ request: Request) async throws -> Response {
        var members = RequestMembers(try await request.jsonObject(limit: configuration.maximumSmallBodyBytes))
        let allowed = "two tree heads of one size with different roots, each signed by this server's key"
        let items = members.array("heads", required: true, allowed: allowed)
        try members.finish()
        let heads = (items ?? []).compactMap { item -> StoredTreeHead? in
            guard var object = item.objectValue else { return nil }
            object[TreeHead.cosignaturesMember] = nil
            guard let head = TreeHead(signed: object, by: publicKey) else { return nil }
            return StoredTreeHead(
                head: head, document: String(decoding: CanonicalJSON.bytes(.object(object)), as: UTF8.self))
        }
        guard heads.count == 2, items?.count == 2 else {
            throw Problem.invalidRequest(
                field: "heads", code: .notAllowed,
                problem:
                    "heads holds \(heads.count) tree heads signed by this server's key of \(items?.count ?? 0) items",
                allowed: allowed)
        }
        guard heads[0].head.size == heads[1].head.size, heads[0].head.root != heads[1].head.root else {
            throw Problem.invalidRequest(
                field: "heads", code: .notAllowed,
                problem: "the heads' sizes differ or their roots are the same: that is no split view", allowed: allowed)
        }
        let added = try await events.keepSplitView(heads[0], heads[1])
        if added {
            logger.critical(
                "split view: two tree heads of \(heads[0].head.size) events with different roots, both signed by this server's key"
            )
        }
        return JSONResponse.make(["size": .integer(heads[0].head.size)], status: added ? .created : .ok)
    }

    /// `GET /v1/tree/split-views` → NDJSON: every split view kept, {size, heads, found}, in the order found.
    func splitViewList() async throws -> Response {
        let views = try await events.splitViews()
        let lines = try views.map { view -> String in
            let heads = try view.documents.map { JSONValue.object(try Self.storedObject($0)) }
            let line: JSONValue = [
                "size": .integer(view.size), "heads": .array(heads), "found": .string(view.found.rfc3339UTC),
            ]
            return String(decoding: CanonicalJSON.bytes(line), as: UTF8.self)
        }
        return Self.ndjson(lines, contentType: "application/x-ndjson")
    }

    /// `GET /v1/tree/witnessed?position=N` → {position, witnesses, treeSize}: how many different witnesses
    /// cosigned a tree head of N events or more (which covers the first N, such as the tallies at position N),
    /// and the largest head they cosigned (null when none did).
    func witnessed(_ request: Request) async throws -> Response {
        let position = try Self.requiredInteger(
            request.uri.queryParameters.get("position"), name: "position", minimum: 0)
        let (witnesses, size) = try await events.witnessCount(covering: position)
        return JSONResponse.make([
            "position": .integer(position), "witnesses": .integer(Int64(witnesses)),
            "treeSize": size.map { .integer($0) } ?? .null,
        ])
    }

    /// The signed heads as served: each with the `cosignatures` kept for it (an empty list when none),
    /// in canonical JSON.
    func servedHeads(_ heads: [StoredTreeHead]) async throws -> [String] {
        let cosignatures = try await events.cosignatures(of: heads.map(\.head.size))
        return try heads.map { head in
            var object = try Self.storedObject(head.document)
            object[TreeHead.cosignaturesMember] = .array(
                try (cosignatures[head.head.size] ?? []).map { .object(try Self.storedObject($0)) })
            return String(decoding: CanonicalJSON.bytes(.object(object)), as: UTF8.self)
        }
    }

    /// A JSON object the server stored itself, parsed again.
    private static func storedObject(_ document: String) throws -> [String: JSONValue] {
        guard let object = try JSONParser.parse(Array(document.utf8)).objectValue else {
            throw Problem(.internalError, "a stored tree document is not a JSON object")
        }
        return object
    }
}

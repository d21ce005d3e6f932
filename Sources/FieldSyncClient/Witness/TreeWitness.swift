import FieldSyncModel

/// A witness of one server's log (PROTOCOL.md §17.7): fetches the newest signed tree head, checks it against
/// the pinned server key and, through a consistency proof, against the last head it cosigned; then cosigns
/// it with its own key and posts the cosignature. When the log did not only grow it keeps both heads as
/// evidence, brings a split view to the server (`POST /v1/tree/split-views`), and cosigns nothing.
public struct TreeWitness: Sendable {
    public let server: AuditServer
    /// The witness's own key.
    public let key: SigningKey
    /// The server key the heads must be signed by.
    public let serverKey: PublicKey
    public let state: WitnessState

    public init(server: AuditServer, key: SigningKey, serverKey: PublicKey, state: WitnessState) {
        self.server = server
        self.key = key
        self.serverKey = serverKey
        self.state = state
    }

    /// What one check found.
    public struct Outcome: Sendable {
        public var verdict: WitnessVerdict
        public var newest: TreeHead
        public var last: TreeHead?
        /// The evidence file written, when the log did not only grow.
        public var evidence: String?
    }

    /// Checks the newest head once; cosigns it when the log only grew.
    public func check() async throws -> Outcome {
        let served = try await signedObject(try await server.json("/v1/tree/head"), what: "GET /v1/tree/head")
        let newest = served.head
        let last = try state.lastHead(signedBy: serverKey)
        var proof: ConsistencyProof?
        if let last, last.head.size >= 1, newest.size > last.head.size {
            proof = try await consistency(from: last.head.size, to: newest.size)
        }
        var outcome = Outcome(verdict: WitnessVerdict(last: last?.head, newest: newest, proof: proof), newest: newest)
        outcome.last = last?.head
        // With no last head the verdict is always to cosign.
        guard !outcome.verdict.cosigns, let last else {
            try state.keepHead(served.object)
            _ = try await server.post(
                "/v1/tree/cosignatures", json: .object(Cosignature.signed(newest, serverKey: serverKey, with: key)))
            return outcome
        }
        // The log did not only grow. Two heads of one size prove it without anyone's word: the last one and,
        // when the sizes differ, the head this server signed of the last one's size, if it differs.
        var pair = [last.object, served.object]
        if outcome.verdict != .splitView, let earlier = try await head(size: last.head.size),
            earlier.head.root != last.head.root
        {
            pair = [last.object, earlier.object]
            outcome.verdict = .splitView
        }
        var evidence: [String: JSONValue] = [
            "kind": .string(Self.kind(outcome.verdict)), "server": .string(server.credentials.server),
            "serverKey": .string(serverKey.base64URL), "heads": .array(pair.map { .object($0) }),
        ]
        if let proof {
            evidence["consistency"] = [
                "from": .integer(proof.from), "to": .integer(proof.to),
                "path": .array(proof.path.map { .string($0.hex) }),
            ]
        }
        if outcome.verdict != .splitView { evidence["newest"] = .object(served.object) }
        outcome.evidence = try state.keepEvidence(.object(evidence), kind: Self.kind(outcome.verdict))
        if outcome.verdict == .splitView {
            _ = try await server.post("/v1/tree/split-views", json: ["heads": .array(pair.map { .object($0) })])
        }
        return outcome
    }

    /// The words for a verdict in evidence file names.
    static func kind(_ verdict: WitnessVerdict) -> String {
        switch verdict {
        case .cosign: "cosigned"
        case .splitView: "split-view"
        case .shrunk: "shrunk"
        case .inconsistent: "inconsistent"
        }
    }

    /// A served head, without its cosignatures, signed by the pinned key; ``UntrustedAnswer`` otherwise.
    private func signedObject(
        _ json: JSONValue, what: String
    ) async throws -> (
        head: TreeHead, object: [String: JSONValue]
    ) {
        guard var object = json.objectValue else {
            throw AuditServerError(.badAnswer, "the answer to \(what) is not a JSON object")
        }
        object[TreeHead.cosignaturesMember] = nil
        guard let head = TreeHead(signed: object, by: serverKey) else {
            throw UntrustedAnswer(
                "the tree head of \(server.credentials.server) (\(what)) is not signed by the pinned server key "
                    + serverKey.base64URL)
        }
        return (head, object)
    }

    /// `GET /v1/tree/consistency?from=&to=`; nil when its answer is not a proof of those sizes.
    private func consistency(from: Int64, to: Int64) async throws -> ConsistencyProof? {
        let answer = try await server.json("/v1/tree/consistency?from=\(from)&to=\(to)").objectValue
        guard let hexes = answer?["path"]?.arrayValue else { return nil }
        let path = hexes.compactMap { $0.stringValue.flatMap { SHA256Digest(hex: $0) } }
        guard path.count == hexes.count, answer?["from"]?.integerValue == from, answer?["to"]?.integerValue == to
        else { return nil }
        return ConsistencyProof(from: from, to: to, path: path)
    }

    /// The head of `size` the server signed, signed by the pinned key; nil when it shows none of that size.
    private func head(size: Int64) async throws -> (head: TreeHead, object: [String: JSONValue])? {
        let body = try await server.document("/v1/tree/heads?after=\(size - 1)&limit=1")
        guard let line = body.split(separator: 0x0a).first,
            let json = try? JSONParser.parse(Array(line)), json.objectValue?["size"]?.integerValue == size
        else { return nil }
        return try await signedObject(json, what: "GET /v1/tree/heads")
    }
}

/// The proof that comes with a batch receipt (PROTOCOL.md §17.5): a signed tree head that includes the
/// batch, and for each event of the receipt what its device lacks to compute the event's leaf (the
/// server's received time and the global chain link before it) with the inclusion proof of that leaf in
/// the head's tree:
///
/// `{"treeHead":{…signed tree head…},"events":[{"position","received","previous","path":[…]}…]}`
///
/// Not signed itself: the head is, and each event's leaf is made from the device's own event, so a proof
/// either leads to the signed root or does not.
public struct ReceiptProof: Sendable, Hashable {
    /// What a device needs, beside its own event, to place the event at ``position`` in the tree.
    public struct Leaf: Sendable, Hashable {
        public var position: Int64
        /// When the server stored the event.
        public var received: Timestamp
        /// The global chain link at `position − 1`.
        public var previous: SHA256Digest
        /// The inclusion proof of the leaf in the tree of the head's size, from the leaf up.
        public var path: [SHA256Digest]

        public init(position: Int64, received: Timestamp, previous: SHA256Digest, path: [SHA256Digest]) {
            self.position = position
            self.received = received
            self.previous = previous
            self.path = path
        }

        /// The leaf hash of `event` stored at ``position`` at ``received`` after ``previous``.
        public func leafHash(of event: Event) -> SHA256Digest {
            MerkleTree.leafHash(
                chain: GlobalChain.link(
                    previous: previous, position: position, eventHash: event.hash, received: received,
                    signature: event.signature))
        }
    }

    /// The signed tree head, member for member.
    public var treeHead: [String: JSONValue]
    /// One for each event of the receipt, in the receipt's order.
    public var events: [Leaf]

    public init(treeHead: [String: JSONValue], events: [Leaf]) {
        self.treeHead = treeHead
        self.events = events
    }

    public var jsonValue: JSONValue {
        [
            "treeHead": .object(treeHead),
            "events": .array(
                events.map { leaf in
                    [
                        "position": .integer(leaf.position), "received": .string(leaf.received.rfc3339UTC),
                        "previous": .string(leaf.previous.hex), "path": .array(leaf.path.map { .string($0.hex) }),
                    ]
                }),
        ]
    }

    /// Reads a proof's members; nothing is checked against a key or a root here (see ``verify(serverKey:event:)``).
    public init(json: JSONValue) throws(ReceiptProblem) {
        guard case .object(let treeHead)? = json["treeHead"] else {
            throw ReceiptProblem("the receipt's proof has no treeHead")
        }
        guard case .array(let entries)? = json["events"] else {
            throw ReceiptProblem("the receipt's proof has no events")
        }
        var events = [Leaf]()
        for entry in entries {
            guard let position = entry["position"]?.integerValue,
                let received = entry["received"]?.stringValue.flatMap({ Timestamp(rfc3339: $0) }),
                let previous = entry["previous"]?.stringValue.flatMap({ SHA256Digest(hex: $0) }),
                let hashes = entry["path"]?.arrayValue
            else { throw ReceiptProblem("a proof entry lacks position, received, previous or path: \(entry)") }
            var path = [SHA256Digest]()
            for hash in hashes {
                guard let digest = hash.stringValue.flatMap({ SHA256Digest(hex: $0) }) else {
                    throw ReceiptProblem("a proof path holds \(hash), not a SHA-256 in hex")
                }
                path.append(digest)
            }
            events.append(Leaf(position: position, received: received, previous: previous, path: path))
        }
        self.init(treeHead: treeHead, events: events)
    }

    /// Checks the proof: its head signed by `serverKey`, and each entry's leaf, made from the device's
    /// own event at that position (`event`, nil when the device has none there), included in the head's
    /// tree. Returns the head.
    public func verify(serverKey: PublicKey, event: (Int64) -> Event?) throws(ReceiptProblem) -> TreeHead {
        guard let head = TreeHead(signed: treeHead, by: serverKey) else {
            throw ReceiptProblem(
                "the receipt's tree head is not a tree head signed by the server key pinned at enrollment")
        }
        for leaf in events {
            guard let local = event(leaf.position) else {
                throw ReceiptProblem("the proof names position \(leaf.position), which the receipt does not")
            }
            guard leaf.position >= 1, leaf.position <= head.size,
                InclusionProof(index: leaf.position - 1, size: head.size, path: leaf.path)
                    .verifies(leafHash: leaf.leafHash(of: local), root: head.root)
            else {
                throw ReceiptProblem(
                    "the proof does not place seq \(local.seq) at position \(leaf.position) in the tree of"
                        + " \(head.size) events the receipt's head signs")
            }
        }
        return head
    }
}

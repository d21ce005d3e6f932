/// The proof that comes with a batch receipt (PROTOCOL.md §17.5): a signed tree head that includes the
/// batch, and for each run of the receipt's events stored at consecutive positions at one received time
/// (a batch's appended events are one such run), what its device lacks to compute those events' leaves
/// (the received time and the global chain link before the run) with one range proof of the leaves in the
/// head's tree:
///
/// `{"treeHead":{…signed tree head…},"ranges":[{"first","last","received","previous","path":[…]}…]}`
///
/// Not signed itself: the head is, and each leaf is made from the device's own event, so a proof either
/// leads to the signed root or does not. The earlier form, `"events":[{"position","received","previous",
/// "path"}…]` with an inclusion proof for each event, is read as ranges of one position each, which is
/// exactly what each of its entries is.
public struct ReceiptProof: Sendable, Hashable {
    /// Positions ``first`` … ``last`` of the receipt, in order, and what a device needs, beside its own
    /// events stored there, to place them in the tree.
    public struct PositionRange: Sendable, Hashable {
        public var first: Int64
        public var last: Int64
        /// When the server stored the events (one transaction, one time).
        public var received: Timestamp
        /// The global chain link at `first − 1`.
        public var previous: SHA256Digest
        /// The range proof of the leaves in the tree of the head's size.
        public var path: [SHA256Digest]

        public init(first: Int64, last: Int64, received: Timestamp, previous: SHA256Digest, path: [SHA256Digest]) {
            self.first = first
            self.last = last
            self.received = received
            self.previous = previous
            self.path = path
        }

        /// How many positions it covers (``first`` ≥ 1 and ``last`` ≥ ``first`` in a proof read).
        public var count: Int64 { last - first + 1 }

        /// The positions, in order; none when ``last`` is below ``first``.
        public var positions: [Int64] { first <= last ? Array(first...last) : [] }

        /// The leaf hashes of `events` stored at ``first``, ``first`` + 1, … at ``received``, the first
        /// after ``previous`` and each next after the one before (PROTOCOL.md §8.2).
        public func leafHashes(of events: [Event]) -> [SHA256Digest] {
            var previous = self.previous
            return events.enumerated().map { offset, event in
                previous = GlobalChain.link(
                    previous: previous, position: first + Int64(offset), eventHash: event.hash, received: received,
                    signature: event.signature)
                return MerkleTree.leafHash(chain: previous)
            }
        }

        /// Whether `events`, one for each position, are stored there in the tree of `head`.
        public func verifies(_ events: [Event], in head: TreeHead) -> Bool {
            guard first >= 1, first <= last, last <= head.size, Int64(events.count) == last - first + 1 else {
                return false
            }
            return RangeProof(leaves: (first - 1)..<last, size: head.size, path: path)
                .verifies(leafHashes: leafHashes(of: events), root: head.root)
        }

        /// How the server cuts a receipt's `positions` (in the receipt's order, each `received` at its time)
        /// into ranges: a range goes on while the next position is the last one plus one, received at the
        /// same time; any other starts a new range.
        public static func runs(positions: [Int64], received: [Timestamp]) -> [ClosedRange<Int64>] {
            precondition(positions.count == received.count, "a received time for each position")
            var runs = [ClosedRange<Int64>]()
            for (index, position) in positions.enumerated() {
                if let run = runs.last, position == run.upperBound + 1, received[index] == received[index - 1] {
                    runs[runs.count - 1] = run.lowerBound...position
                } else {
                    runs.append(position...position)
                }
            }
            return runs
        }
    }

    /// The signed tree head, member for member.
    public var treeHead: [String: JSONValue]
    /// The ranges, whose positions one after another are the receipt's, in its order.
    public var ranges: [PositionRange]

    public init(treeHead: [String: JSONValue], ranges: [PositionRange]) {
        self.treeHead = treeHead
        self.ranges = ranges
    }

    public var jsonValue: JSONValue {
        [
            "treeHead": .object(treeHead),
            "ranges": .array(
                ranges.map { range in
                    [
                        "first": .integer(range.first), "last": .integer(range.last),
                        "received": .string(range.received.rfc3339UTC), "previous": .string(range.previous.hex),
                        "path": .array(range.path.map { .string($0.hex) }),
                    ]
                }),
        ]
    }

    /// Reads a proof's members, in the form with `ranges` or the earlier one with `events`; nothing is
    /// checked against a key or a root here (see ``verify(serverKey:events:)``).
    public init(json: JSONValue) throws(ReceiptProblem) {
        guard case .object(let treeHead)? = json["treeHead"] else {
            throw ReceiptProblem("the receipt's proof has no treeHead")
        }
        var ranges = [PositionRange]()
        if case .array(let entries)? = json["ranges"] {
            for entry in entries {
                guard let first = entry["first"]?.integerValue, let last = entry["last"]?.integerValue, first >= 1,
                    first <= last
                else { throw ReceiptProblem("a proof range lacks first and last positions, in order: \(entry)") }
                ranges.append(try Self.range(entry, first: first, last: last))
            }
        } else if case .array(let entries)? = json["events"] {
            for entry in entries {
                guard let position = entry["position"]?.integerValue, position >= 1 else {
                    throw ReceiptProblem("a proof entry lacks a position: \(entry)")
                }
                ranges.append(try Self.range(entry, first: position, last: position))
            }
        } else {
            throw ReceiptProblem("the receipt's proof has no ranges")
        }
        self.init(treeHead: treeHead, ranges: ranges)
    }

    private static func range(_ entry: JSONValue, first: Int64, last: Int64) throws(ReceiptProblem) -> PositionRange {
        guard let received = entry["received"]?.stringValue.flatMap({ Timestamp(rfc3339: $0) }),
            let previous = entry["previous"]?.stringValue.flatMap({ SHA256Digest(hex: $0) }),
            let hashes = entry["path"]?.arrayValue
        else { throw ReceiptProblem("a proof entry lacks received, previous or path: \(entry)") }
        var path = [SHA256Digest]()
        for hash in hashes {
            guard let digest = hash.stringValue.flatMap({ SHA256Digest(hex: $0) }) else {
                throw ReceiptProblem("a proof path holds \(hash), not a SHA-256 in hex")
            }
            path.append(digest)
        }
        return PositionRange(first: first, last: last, received: received, previous: previous, path: path)
    }

    /// Checks the proof: its head signed by `serverKey`, and the leaves of each range (at `index` in
    /// ``ranges``), made from the device's own events there (`events(index)`, one for each position, nil
    /// when the device does not have them all), in the head's tree. Returns the head.
    public func verify(serverKey: PublicKey, events: (_ index: Int) -> [Event]?) throws(ReceiptProblem) -> TreeHead {
        guard let head = TreeHead(signed: treeHead, by: serverKey) else {
            throw ReceiptProblem(
                "the receipt's tree head is not a tree head signed by the server key pinned at enrollment")
        }
        for (index, range) in ranges.enumerated() {
            guard let local = events(index), Int64(local.count) == range.count else {
                throw ReceiptProblem(
                    "the proof names positions \(range.first) to \(range.last), which are not the receipt's events")
            }
            guard range.verifies(local, in: head) else {
                throw ReceiptProblem(
                    "the proof does not place seqs \(local[0].seq) to \(local[local.count - 1].seq) at positions"
                        + " \(range.first) to \(range.last) in the tree of \(head.size) events the receipt's head signs"
                )
            }
        }
        return head
    }
}

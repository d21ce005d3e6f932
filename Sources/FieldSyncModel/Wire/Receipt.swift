/// The server's receipt for a pushed batch, the device's proof of delivery: the batch's stored events
/// (appended or duplicate) with their positions, and the global chain's head once the batch committed,
/// signed by the server key by the rule for signed objects (`Schema/PROTOCOL.md` §7):
///
/// `{"type":"fieldsync.receipt.v1","device","events":[{"id","seq","outcome","position"}…],
///   "head":{"position","chain"},"time","signature"}`
///
/// Signed, so written and read as JSON values (``signed(with:)``, ``init(signed:)``), never through
/// `Codable`: the object read is kept member for member, as its signature covers it.
public struct Receipt: Sendable, Hashable {
    /// The receipt's `type`.
    public static let type = "fieldsync.receipt.v1"

    /// One event the receipt vouches for.
    public struct Delivered: Sendable, Hashable {
        public var id: String
        public var seq: Int64
        /// `appended` or `duplicate`.
        public var outcome: PushOutcome.Kind
        public var position: Int64

        public init(id: String, seq: Int64, outcome: PushOutcome.Kind, position: Int64) {
            self.id = id
            self.seq = seq
            self.outcome = outcome
            self.position = position
        }
    }

    public var device: DeviceID
    public var events: [Delivered]
    /// The global chain's last position and its chain hash.
    public var headPosition: Int64
    public var headChain: SHA256Digest
    /// When it was signed.
    public var time: Timestamp

    public init(device: DeviceID, events: [Delivered], headPosition: Int64, headChain: SHA256Digest, time: Timestamp) {
        self.device = device
        self.events = events
        self.headPosition = headPosition
        self.headChain = headChain
        self.time = time
    }

    /// The stored events of a batch's results, in the batch's order: those with a position, an id and a seq.
    public init(device: DeviceID, results: [PushResult], headPosition: Int64, headChain: SHA256Digest, time: Timestamp)
    {
        let events = results.compactMap { result -> Delivered? in
            guard let position = result.outcome.position, let id = result.id, let seq = result.seq else { return nil }
            return Delivered(id: id, seq: seq, outcome: result.outcome.kind, position: position)
        }
        self.init(device: device, events: events, headPosition: headPosition, headChain: headChain, time: time)
    }

    /// The receipt as an object signed by `key`.
    public func signed(with key: SigningKey) -> [String: JSONValue] {
        let events = events.map { event -> JSONValue in
            [
                "id": .string(event.id), "seq": .integer(event.seq), "outcome": .string(event.outcome.rawValue),
                "position": .integer(event.position),
            ]
        }
        return SignedObject.signed(
            [
                "type": .string(Self.type), "device": .string(device.rawValue), "events": .array(events),
                "head": ["position": .integer(headPosition), "chain": .string(headChain.hex)],
                "time": .string(time.rfc3339UTC),
            ], with: key)
    }

    /// Reads the members of a receipt; its signature is not checked here (see `SignedObject.isValid`).
    public init(signed object: [String: JSONValue]) throws(ReceiptProblem) {
        guard object["type"] == .string(Self.type) else {
            throw ReceiptProblem("the receipt's type is \(object["type"].map { "\($0)" } ?? "missing")")
        }
        guard case .string(let deviceText)? = object["device"], let device = DeviceID(deviceText) else {
            throw ReceiptProblem("the receipt's device is \(object["device"].map { "\($0)" } ?? "missing")")
        }
        guard case .array(let entries)? = object["events"] else { throw ReceiptProblem("the receipt lists no events") }
        var events = [Delivered]()
        for entry in entries {
            guard case .integer(let seq)? = entry["seq"], case .string(let id)? = entry["id"],
                case .integer(let position)? = entry["position"]
            else { throw ReceiptProblem("a receipt entry lacks seq, id or position: \(entry)") }
            guard case .string(let outcomeText)? = entry["outcome"],
                let outcome = PushOutcome.Kind(rawValue: outcomeText),
                outcome == .appended || outcome == .duplicate
            else { throw ReceiptProblem("a receipt entry's outcome is not appended or duplicate: \(entry)") }
            events.append(Delivered(id: id, seq: seq, outcome: outcome, position: position))
        }
        guard case .integer(let headPosition)? = object["head"]?["position"],
            case .string(let chainText)? = object["head"]?["chain"], let headChain = SHA256Digest(hex: chainText)
        else {
            throw ReceiptProblem(
                "the receipt's head lacks position or chain: \(object["head"].map { "\($0)" } ?? "missing")")
        }
        guard case .string(let timeText)? = object["time"], let time = Timestamp(rfc3339: timeText) else {
            throw ReceiptProblem("the receipt's time is \(object["time"].map { "\($0)" } ?? "missing")")
        }
        self.init(device: device, events: events, headPosition: headPosition, headChain: headChain, time: time)
    }
}

/// A receipt that does not hold up, in one line.
public struct ReceiptProblem: Error, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}

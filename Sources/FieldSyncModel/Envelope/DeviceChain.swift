/// Where one device's chain stands: its last sequence number and the hash of its last event.
/// Its next event must have `seq` one more and `prevhash` that hash.
public struct DeviceChain: Hashable, Sendable {
    public let device: DeviceID
    /// 0 before the first event.
    public private(set) var lastSeq: Int64
    /// ``SHA256Digest/zero`` before the first event.
    public private(set) var lastHash: SHA256Digest

    /// The chain of a device with no events yet.
    public init(device: DeviceID) {
        self.init(device: device, lastSeq: 0, lastHash: .zero)
    }

    /// The chain of a device whose last event is known.
    public init(device: DeviceID, lastSeq: Int64, lastHash: SHA256Digest) {
        self.device = device
        self.lastSeq = lastSeq
        self.lastHash = lastHash
    }

    public var nextSeq: Int64 { lastSeq + 1 }

    /// What is wrong with `event` as this device's next event, or nil if it follows on.
    public func problem(with event: Event) -> FieldError? {
        if event.device != device {
            return FieldError(
                field: "source", code: .sourceMismatch, problem: "event of \(event.device), not of this device",
                allowed: device.source)
        }
        if event.seq != nextSeq {
            let problem =
                event.seq <= lastSeq
                ? "\(event.seq) was already used" : "\(event.seq) skips \(nextSeq)…\(event.seq - 1)"
            return FieldError(field: "seq", code: .chainBroken, problem: problem, allowed: "\(nextSeq)")
        }
        if event.prevHash != lastHash {
            return FieldError(
                field: "prevhash", code: .chainBroken,
                problem: "\(event.prevHash.hex) is not the hash of the device's event \(lastSeq)",
                allowed: lastHash.hex)
        }
        return nil
    }

    /// Moves the chain on to `event`, or throws why it does not follow on.
    public mutating func append(_ event: Event) throws(FieldError) {
        if let problem = problem(with: event) { throw problem }
        lastSeq = event.seq
        lastHash = event.hash
    }

    /// Makes, signs and appends this device's next event.
    public mutating func sign(
        _ draft: EventDraft, id: EventID = .random(), key: SigningKey
    )
        throws(EventDecodingError) -> Event
    {
        let event = try Event.sign(draft, id: id, seq: nextSeq, prevHash: lastHash, key: key, device: device)
        lastSeq = event.seq
        lastHash = event.hash
        return event
    }

    /// Makes, signs and appends this device's next events, the signatures made on every core: an event's
    /// hash, which the next one names, does not cover its signature, so only the hashes are made in turn.
    /// Each event gets a random id. When a draft does not fit its type, throws and the chain stays as it was.
    public mutating func sign(_ drafts: [EventDraft], key: SigningKey) async throws(EventDecodingError) -> [Event] {
        var links = [Link]()
        links.reserveCapacity(drafts.count)
        var (seq, hash) = (lastSeq, lastHash)
        for draft in drafts {
            let id = EventID.random()
            let next = Event.hash(of: draft, id: id, seq: seq + 1, prevHash: hash, device: device)
            links.append(Link(draft: draft, id: id, seq: seq + 1, prevHash: hash, hash: next))
            (seq, hash) = (seq + 1, next)
        }
        let device = device
        let signed = await links.concurrentMap(minimumChunk: Self.eventsPerSigningTask) { link in
            Result { () throws(EventDecodingError) -> Event in
                try Event.sign(
                    link.draft, id: link.id, seq: link.seq, prevHash: link.prevHash, hash: link.hash, key: key,
                    device: device)
            }
        }
        var events = [Event]()
        events.reserveCapacity(signed.count)
        for result in signed { events.append(try result.get()) }
        (lastSeq, lastHash) = (seq, hash)
        return events
    }

    /// The fewest events a child task signs: fewer are signed by the calling task alone.
    static let eventsPerSigningTask = 64

    /// An event of a batch before its signature: what the chain made in turn.
    private struct Link: Sendable {
        var draft: EventDraft
        var id: EventID
        var seq: Int64
        var prevHash: SHA256Digest
        var hash: SHA256Digest
    }
}

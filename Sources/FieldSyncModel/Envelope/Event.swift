/// One event as a device made and signed it: a CloudEvents 1.0 envelope whose `data` is one of the
/// catalogue's payloads, decoded.
///
/// An `Event` is always well formed: it is made only by ``init(json:)`` and its relatives, which
/// check every member, or by ``sign(_:id:seq:prevHash:key:device:)``. Whether it fits the
/// reference data and the election calendar is a separate question (``EventValidator``), and so is
/// whether its signature is good (``isSignatureValid(by:)``).
public struct Event: Hashable, Sendable {
    public let id: EventID
    /// The device that made it (from `source`).
    public let device: DeviceID
    /// The device's sequence number, from 1 with no gaps.
    public let seq: Int64
    /// The catalogue type it is read as: its ``writtenType``, or the current version of it
    /// (``Upcaster``).
    public let type: EventType
    /// The `type` it was signed with. Differs from ``type`` only for an event of an older version of
    /// its type; the hash and signature are over this one.
    public let writtenType: String
    /// When the reporter observed it, as written.
    public let time: ObservedTime
    /// What it is about: a station code for observations; the code, id or device a reference event
    /// defines; `server` for the server's identity.
    public let subject: String
    /// The `data` object exactly as received: this is what is hashed.
    public var data: JSONValue { writtenData ?? payload.jsonValue }
    /// `data` as received; nil when it is exactly what ``payload`` writes, for an event read back from
    /// storage by the plain reader (``Payload/plain(type:text:)``), which keeps no tree of it: most of a
    /// polling day's events, read by every fold.
    private let writtenData: JSONValue?
    /// The `data`, decoded (upcast first when written under an older version of its type).
    public let payload: Payload
    /// The hash of this device's previous event (zero for seq 1).
    public let prevHash: SHA256Digest
    /// 64 bytes of Ed25519 signature over ``hash``.
    public let signature: [UInt8]
    /// The event hash (see ``EventHash``).
    public let hash: SHA256Digest

    /// An event whose `data` is `data`, or, when nil, exactly what `payload` writes.
    init(
        id: EventID, device: DeviceID, seq: Int64, type: EventType, time: ObservedTime, subject: String,
        data: JSONValue?, payload: Payload, prevHash: SHA256Digest, signature: [UInt8], hash: SHA256Digest,
        writtenType: String? = nil
    ) {
        self.id = id
        self.device = device
        self.seq = seq
        self.type = type
        self.writtenType = writtenType ?? type.rawValue
        self.time = time
        self.subject = subject
        self.writtenData = data
        self.payload = payload
        self.prevHash = prevHash
        self.signature = signature
        self.hash = hash
    }

    /// Equal events have every member equal, `data` compared as JSON whether it was kept as received or
    /// is written by the payload.
    public static func == (lhs: Event, rhs: Event) -> Bool {
        lhs.id == rhs.id && lhs.hash == rhs.hash && lhs.device == rhs.device && lhs.seq == rhs.seq
            && lhs.type == rhs.type && lhs.writtenType == rhs.writtenType && lhs.time == rhs.time
            && lhs.subject == rhs.subject && lhs.payload == rhs.payload && lhs.prevHash == rhs.prevHash
            && lhs.signature == rhs.signature && lhs.data == rhs.data
    }

    /// The id and the hash, which equal events share.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(id)
        hasher.combine(self.hash)
    }

    /// `/devices/<id>`, or `/server`.
    public var source: String { device.source }

    /// The station an observation is about; nil for reference events.
    public var station: StationCode? { type.isObservation ? StationCode(subject) : nil }

    /// Whether `signature` is a valid Ed25519 signature of ``hash`` by `key`.
    public func isSignatureValid(by key: PublicKey) -> Bool {
        key.isValidSignature(signature, for: hash)
    }

    /// The members that are hashed, plus `signature`: the event as a device submits it.
    public var jsonObject: [String: JSONValue] {
        [
            "specversion": "1.0", "id": .string(id.description), "source": .string(source),
            "type": .string(writtenType), "time": .string(time.text), "subject": .string(subject),
            "datacontenttype": "application/json", "data": data, "seq": .integer(seq),
            "prevhash": .string(prevHash.hex), "signature": .string(Base64URL.encode(signature)),
        ]
    }

    public var jsonValue: JSONValue { .object(jsonObject) }

    /// The event as submitted, in canonical form.
    public var canonicalBytes: [UInt8] { CanonicalJSON.bytes(jsonValue) }

    /// The canonical form that ``hash`` is the SHA-256 of.
    public var hashedBytes: [UInt8] {
        EventHash.canonicalForm(
            id: id, source: source, type: writtenType, time: time.text, subject: subject, data: data, seq: seq,
            prevHash: prevHash)
    }
}

extension Event {
    /// Reads a submitted event: every envelope member, its payload, and nothing else
    /// (the server's `position`, `received` and `chain` are refused).
    public init(json: JSONValue) throws(EventDecodingError) {
        var scratch = [UInt8]()
        self = try EnvelopeDecoder.decodeEvent(json, scratch: &scratch)
    }

    /// Reads a submitted event, taking an event of an older version of its type through `upcaster`.
    public init(json: JSONValue, upcaster: Upcaster) throws(EventDecodingError) {
        var scratch = [UInt8]()
        self = try EnvelopeDecoder.decodeEvent(json, scratch: &scratch, upcaster: upcaster)
    }

    /// Parses and reads a submitted event from its JSON bytes.
    public init(jsonBytes bytes: some Collection<UInt8>) throws(EventDecodingError) {
        var parser = EventParser()
        self = try parser.parse(bytes)
    }

    /// Makes and signs an event from a draft. The device is the key's (``PublicKey/deviceID``)
    /// unless given: the server signs its events as ``DeviceID/server``.
    /// Throws if the draft's data or subject do not fit its type.
    public static func sign(
        _ draft: EventDraft, id: EventID = .random(), seq: Int64, prevHash: SHA256Digest, key: SigningKey,
        device: DeviceID? = nil
    ) throws(EventDecodingError) -> Event {
        let device = device ?? key.publicKey.deviceID
        return try sign(
            draft, id: id, seq: seq, prevHash: prevHash,
            hash: hash(of: draft, id: id, seq: seq, prevHash: prevHash, device: device),
            key: key, device: device)
    }

    /// The hash a draft's event gets: the one the device's next event names as its `prevhash`. It does not
    /// cover the signature, so a chain's hashes can be made in turn and its signatures at the same time.
    static func hash(
        of draft: EventDraft, id: EventID, seq: Int64, prevHash: SHA256Digest, device: DeviceID
    ) -> SHA256Digest {
        SHA256Digest.hash(
            EventHash.canonicalForm(
                id: id, source: device.source, type: draft.type.rawValue, time: draft.time, subject: draft.subject,
                data: draft.data, seq: seq, prevHash: prevHash))
    }

    /// ``sign(_:id:seq:prevHash:key:device:)`` with the event's hash already made (``hash(of:id:seq:prevHash:device:)``).
    static func sign(
        _ draft: EventDraft, id: EventID, seq: Int64, prevHash: SHA256Digest, hash: SHA256Digest, key: SigningKey,
        device: DeviceID
    ) throws(EventDecodingError) -> Event {
        let object: [String: JSONValue] = [
            "specversion": "1.0", "id": .string(id.description), "source": .string(device.source),
            "type": .string(draft.type.rawValue), "time": .string(draft.time), "subject": .string(draft.subject),
            "datacontenttype": "application/json", "data": draft.data, "seq": .integer(seq),
            "prevhash": .string(prevHash.hex), "signature": .string(Base64URL.encode(key.signature(for: hash))),
        ]
        return try Event(json: .object(object))
    }
}

/// Parses events from bytes, reusing its buffers from one event to the next. One parser per task.
public struct EventParser: Sendable {
    private var scratch = [UInt8]()

    public init() {
        scratch.reserveCapacity(1024)
    }

    /// Parses one submitted event; a JSON syntax error is reported as a ``FieldError`` with code
    /// `invalid-json` and an empty field.
    public mutating func parse(_ bytes: some Collection<UInt8>) throws(EventDecodingError) -> Event {
        let json: JSONValue
        do {
            json = try JSONParser.parse(bytes)
        } catch {
            throw EventDecodingError([EnvelopeDecoder.jsonError(error)])
        }
        return try EnvelopeDecoder.decodeEvent(json, scratch: &scratch)
    }

    /// Reads an already parsed event.
    public mutating func decode(_ json: JSONValue) throws(EventDecodingError) -> Event {
        try EnvelopeDecoder.decodeEvent(json, scratch: &scratch)
    }

    /// Parses a CloudEvents JSON batch (a JSON array of events): one result per element, in order.
    /// Throws only if the batch itself is not a JSON array.
    public mutating func parseBatch(
        _ bytes: some Collection<UInt8>
    ) throws(EventDecodingError)
        -> [Result<Event, EventDecodingError>]
    {
        let json: JSONValue
        do {
            json = try JSONParser.parse(bytes)
        } catch {
            throw EventDecodingError([EnvelopeDecoder.jsonError(error)])
        }
        guard case .array(let elements) = json else {
            throw EventDecodingError([
                FieldError(
                    field: "", code: .wrongType, problem: "expected an array of events, found \(json.kindDescription)",
                    allowed: "a JSON array of CloudEvents (application/cloudevents-batch+json)")
            ])
        }
        return elements.map { element in
            Result { () throws(EventDecodingError) -> Event in try decode(element) }
        }
    }
}

/// An event as the server stored it: the event, its position in the global order, when the server
/// received it, and the global chain link at that position (see ``GlobalChain``).
///
/// Exported as one line of NDJSON: the event's members plus `position`, `received` and `chain`, in
/// canonical form. The server's fields are not part of the event hash.
public struct StoredEvent: Hashable, Sendable {
    public let event: Event
    /// The global position, from 1 with no gaps.
    public let position: Int64
    public let received: Timestamp
    /// The global chain link at ``position``.
    public let chain: SHA256Digest

    public init(event: Event, position: Int64, received: Timestamp, chain: SHA256Digest) {
        self.event = event
        self.position = position
        self.received = received
        self.chain = chain
    }

    /// Stores `event` at `position`, linking it after the link `previous`.
    public init(event: Event, position: Int64, received: Timestamp, previous: SHA256Digest) {
        self.event = event
        self.position = position
        self.received = received
        self.chain = GlobalChain.link(
            previous: previous, position: position, eventHash: event.hash, received: received,
            signature: event.signature)
    }

    /// Reads a stored event: the event's members and the three server fields, nothing else.
    public init(json: JSONValue) throws(EventDecodingError) {
        var scratch = [UInt8]()
        self = try EnvelopeDecoder.decodeStoredEvent(json, scratch: &scratch)
    }

    /// Reads one line of an export. A trailing line feed (or CR LF) is allowed.
    public init(line: some Collection<UInt8>) throws(EventDecodingError) {
        var bytes = Array(line)
        if bytes.last == 0x0a { bytes.removeLast() }
        if bytes.last == 0x0d { bytes.removeLast() }
        let json: JSONValue
        do {
            json = try JSONParser.parse(bytes)
        } catch {
            throw EventDecodingError([EnvelopeDecoder.jsonError(error)])
        }
        try self.init(json: json)
    }

    /// The link this event's `chain` must be, given the link at the position before.
    public func expectedChain(after previous: SHA256Digest) -> SHA256Digest {
        GlobalChain.link(
            previous: previous, position: position, eventHash: event.hash, received: received,
            signature: event.signature)
    }

    /// Whether `chain` is the link that follows `previous` (``GlobalChain/genesis`` before position 1).
    public func isLinked(after previous: SHA256Digest) -> Bool {
        chain == expectedChain(after: previous)
    }

    public var jsonObject: [String: JSONValue] {
        var object = event.jsonObject
        object["position"] = .integer(position)
        object["received"] = .string(received.rfc3339UTC)
        object["chain"] = .string(chain.hex)
        return object
    }

    /// Appends the export line, canonical JSON followed by a line feed.
    public func writeLine(into out: inout [UInt8]) {
        CanonicalJSON.writeObject(jsonObject, into: &out)
        out.append(0x0a)
    }

    /// The export line, without its line feed.
    public var line: String {
        var out = [UInt8]()
        out.reserveCapacity(1024)
        CanonicalJSON.writeObject(jsonObject, into: &out)
        return String(decoding: out, as: UTF8.self)
    }
}

import FieldSyncModel

/// A stored row that does not rebuild into a valid event: the database holds something the server
/// never accepted (tampering, or a bug).
public struct StoredEventCorrupt: Error, Sendable, CustomStringConvertible {
    public var position: Int64
    public var eventID: String
    public var problem: String

    public var description: String {
        "the stored event at position \(position) (\(eventID)) is corrupt: \(problem)"
    }
}

extension EventRecord {
    /// The store's record of a checked event.
    public init(_ event: Event) {
        self.init(
            id: event.id.description, deviceID: event.device.rawValue, sequence: event.seq, type: event.type.rawValue,
            subject: event.subject, station: event.station?.rawValue, time: event.time.text,
            observedAt: event.time.instant, payload: CanonicalJSON.string(event.data), hash: event.hash,
            previousHash: event.prevHash, signature: event.signature)
    }
}

extension StoredEvent {
    /// Rebuilds the model's event from a stored row: reads its fields and payload, and recomputes the
    /// event hash, which must be the stored one.
    public init(record stored: StoredEventRecord) throws(StoredEventCorrupt) {
        var scratch = [UInt8]()
        try self.init(record: stored, scratch: &scratch)
    }

    /// Rebuilds the model's event from a stored row, reusing `scratch` for the hash's canonical form.
    public init(record stored: StoredEventRecord, scratch: inout [UInt8]) throws(StoredEventCorrupt) {
        let record = stored.record
        func corrupt(_ problem: String) -> StoredEventCorrupt {
            StoredEventCorrupt(position: stored.position, eventID: record.id, problem: problem)
        }
        guard let id = EventID(record.id) else { throw corrupt("'\(record.id)' is not an event id") }
        guard let device = DeviceID(record.deviceID) else { throw corrupt("'\(record.deviceID)' is not a device id") }
        guard let type = EventType(rawValue: record.type) else { throw corrupt("'\(record.type)' is not an event type") }
        guard let time = ObservedTime(record.time) else { throw corrupt("'\(record.time)' is not an observed time") }
        let data: JSONValue
        do {
            data = try JSONParser.parse(record.payload.utf8)
        } catch {
            throw corrupt("its payload is not valid JSON: \(error)")
        }
        let event: Event
        do {
            event = try Event(
                storedID: id, device: device, seq: record.sequence, type: type, time: time, subject: record.subject,
                data: data, prevHash: record.previousHash, signature: record.signature, storedHash: record.hash,
                scratch: &scratch)
        } catch {
            throw corrupt("\(error)")
        }
        self.init(event: event, position: stored.position, received: stored.received, chain: stored.chain)
    }
}

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
    /// Rebuilds the model's event from a stored row: reads the payload, decodes the envelope, and
    /// recomputes the event hash, which must be the stored one.
    public init(record stored: StoredEventRecord) throws(StoredEventCorrupt) {
        let record = stored.record
        func corrupt(_ problem: String) -> StoredEventCorrupt {
            StoredEventCorrupt(position: stored.position, eventID: record.id, problem: problem)
        }
        let data: JSONValue
        do {
            data = try JSONParser.parse(Array(record.payload.utf8))
        } catch {
            throw corrupt("its payload is not valid JSON: \(error)")
        }
        guard let device = DeviceID(record.deviceID) else { throw corrupt("'\(record.deviceID)' is not a device id") }
        let object: [String: JSONValue] = [
            "specversion": "1.0", "id": .string(record.id), "source": .string(device.source),
            "type": .string(record.type), "time": .string(record.time), "subject": .string(record.subject),
            "datacontenttype": "application/json", "data": data, "seq": .integer(record.sequence),
            "prevhash": .string(record.previousHash.hex), "signature": .string(Base64URL.encode(record.signature)),
        ]
        let event: Event
        do {
            event = try Event(json: .object(object))
        } catch {
            throw corrupt("\(error)")
        }
        guard event.hash == record.hash else {
            throw corrupt("its content hashes to \(event.hash.hex), not to the stored \(record.hash.hex)")
        }
        self.init(event: event, position: stored.position, received: stored.received, chain: stored.chain)
    }
}

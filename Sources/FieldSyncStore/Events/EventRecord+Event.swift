import FieldSyncModel

extension EventRecord {
    /// The record of a checked, signed event: its envelope flattened into the columns of `events`.
    /// The payload is written in canonical form; the hash does not depend on how it is written.
    public init(event: Event) {
        self.init(
            id: event.id.description, deviceID: event.device.rawValue, sequence: event.seq,
            type: event.type.rawValue, subject: event.subject, station: event.station?.rawValue,
            time: event.time.text, observedAt: event.time.instant, payload: CanonicalJSON.string(event.data),
            hash: event.hash, previousHash: event.prevHash, signature: event.signature)
    }
}

extension StoredEventRecord {
    /// The event rebuilt from its columns, with the server's fields: what an export line holds.
    ///
    /// The event is read back as a device would submit it and its hash computed again, so a stored row
    /// whose columns no longer make the hash stored with it is reported, never exported as if sound.
    public func storedEvent() throws(StoredEventError) -> StoredEvent {
        let data: JSONValue
        do {
            data = try JSONParser.parse(record.payload)
        } catch {
            throw StoredEventError(position: position, problem: "its payload is not JSON: \(error)")
        }
        let object: [String: JSONValue] = [
            "specversion": "1.0", "id": .string(record.id), "source": .string(DeviceID(record.deviceID)?.source ?? ""),
            "type": .string(record.type), "time": .string(record.time), "subject": .string(record.subject),
            "datacontenttype": "application/json", "data": data, "seq": .integer(record.sequence),
            "prevhash": .string(record.previousHash.hex), "signature": .string(Base64URL.encode(record.signature)),
        ]
        let event: Event
        do {
            event = try Event(json: .object(object))
        } catch {
            throw StoredEventError(position: position, problem: "it does not read as an event: \(error)")
        }
        guard event.hash == record.hash else {
            throw StoredEventError(
                position: position, problem: "its columns hash to \(event.hash.hex), not to the stored \(record.hash.hex)")
        }
        return StoredEvent(event: event, position: position, received: received, chain: chain)
    }
}

/// A stored row that cannot be turned back into the event it recorded.
public struct StoredEventError: Error, Sendable, CustomStringConvertible {
    public var position: Int64
    public var problem: String

    public var description: String { "the stored event at position \(position) is damaged: \(problem)" }
}

import FieldSyncModel

/// A stored row that cannot be turned back into the event it recorded: the database holds something
/// the server never accepted (a change behind its back, or a bug).
public struct StoredEventError: Error, Sendable, CustomStringConvertible {
    public var position: Int64
    public var eventID: String
    public var problem: String

    public var description: String {
        "the stored event at position \(position) (\(eventID)) is damaged: \(problem)"
    }
}

extension EventRecord {
    /// The record of a checked, signed event: its envelope flattened into the columns of `events`.
    /// The payload is written in canonical form; the hash does not depend on how it is written.
    public init(event: Event) {
        self.init(
            id: event.id.description, deviceID: event.device.rawValue, sequence: event.seq, type: event.type.rawValue,
            subject: event.subject, station: event.station?.rawValue, time: event.time.text,
            observedAt: event.time.instant, payload: CanonicalJSON.string(event.data), hash: event.hash,
            previousHash: event.prevHash, signature: event.signature)
    }
}

extension StoredEventRecord {
    /// The event rebuilt from its columns, with the server's fields: what an export line holds.
    /// See ``FieldSyncModel/StoredEvent/init(record:)``.
    public func storedEvent() throws(StoredEventError) -> StoredEvent {
        try StoredEvent(record: self)
    }
}

extension StoredEvent {
    /// Rebuilds the model's event from a stored row: reads its fields and payload, and recomputes the
    /// event hash, which must be the stored one — a row whose columns no longer make the hash stored with
    /// it is reported, never used as if sound.
    public init(record stored: StoredEventRecord) throws(StoredEventError) {
        var scratch = [UInt8]()
        try self.init(record: stored, scratch: &scratch)
    }

    /// Rebuilds the model's event from a stored row, reusing `scratch` for the hash's canonical form. The
    /// record's members are read where they are: a copy of the whole record retains every string in it.
    public init(record stored: StoredEventRecord, scratch: inout [UInt8]) throws(StoredEventError) {
        func damaged(_ problem: String) -> StoredEventError {
            StoredEventError(position: stored.position, eventID: stored.record.id, problem: problem)
        }
        guard let id = EventID(stored.record.id) else { throw damaged("'\(stored.record.id)' is not an event id") }
        guard let device = DeviceID(stored.record.deviceID) else {
            throw damaged("'\(stored.record.deviceID)' is not a device id")
        }
        guard let time = ObservedTime(stored.record.time) else {
            throw damaged("'\(stored.record.time)' is not an observed time")
        }
        // Most payloads are read straight from their text; the rest, and any the plain reader does not take,
        // through the JSON tree, which accepts and reports the same.
        var payloadText = stored.record.payload
        do {
            let plain = try payloadText.withUTF8 { text throws(EventDecodingError) in
                try Event(
                    storedID: id, device: device, seq: stored.record.sequence, writtenType: stored.record.type,
                    time: time,
                    subject: stored.record.subject, plainData: text, prevHash: stored.record.previousHash,
                    signature: stored.record.signature, storedHash: stored.record.hash, scratch: &scratch)
            }
            if let plain {
                self.init(event: plain, position: stored.position, received: stored.received, chain: stored.chain)
                return
            }
        } catch {
            throw damaged("\(error)")
        }
        let data: JSONValue
        do {
            data = try JSONParser.parse(stored.record.payload.utf8)
        } catch {
            throw damaged("its payload is not JSON: \(error)")
        }
        let event: Event
        do {
            event = try Event(
                storedID: id, device: device, seq: stored.record.sequence, writtenType: stored.record.type, time: time,
                subject: stored.record.subject,
                data: data, prevHash: stored.record.previousHash, signature: stored.record.signature,
                storedHash: stored.record.hash,
                scratch: &scratch)
        } catch {
            throw damaged("\(error)")
        }
        self.init(event: event, position: stored.position, received: stored.received, chain: stored.chain)
    }
}

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
        var payload = stored.record.payload
        let event = payload.withUTF8 { payload in
            Result { () throws(PayloadDamage) in
                try Self.event(
                    id: id, device: device, sequence: stored.record.sequence, type: stored.record.type, time: time,
                    subject: stored.record.subject, payload: payload, hash: stored.record.hash,
                    previousHash: stored.record.previousHash, signature: stored.record.signature, scratch: &scratch)
            }
        }
        switch event {
        case .success(let event):
            self.init(event: event, position: stored.position, received: stored.received, chain: stored.chain)
        case .failure(let damage):
            throw damaged(damage.problem)
        }
    }

    /// A row selected with ``EventStore/foldColumns`` rebuilt into the model's event, its columns read where
    /// libpq holds them: no string is made for the id, the device or the payload on the way. No signature,
    /// and the epoch and zero for the receipt time and chain link, which were not read.
    ///
    /// The row may be in either format (``EventStore/foldFormat``): in binary, the id is its 16 bytes, the
    /// hashes their 32, the payload its text after `jsonb`'s version byte.
    package init(foldRow row: PostgresRow, scratch: inout [UInt8]) throws {
        let position = try row.decode(Int64.self, column: 0)
        // Valid while `row` is, which holds its result: to the end of this initializer.
        let uuid = try row.unsafeBinary(column: 1).flatMap { $0.type == .uuid ? EventID(bytes: $0.bytes) : nil }
        let idText = uuid == nil ? try row.unsafeText(column: 1) : UnsafeBufferPointer(start: nil, count: 0)
        let deviceText = try row.unsafeText(column: 2)
        let (timeText, payload) = (try row.unsafeText(column: 6), try row.unsafeText(column: 7))
        func damaged(_ problem: String) -> StoredEventError {
            StoredEventError(
                position: position, eventID: uuid?.description ?? String(decoding: idText, as: UTF8.self),
                problem: problem)
        }
        func quoted(_ text: UnsafeBufferPointer<UInt8>) -> String { "'\(String(decoding: text, as: UTF8.self))'" }
        guard let id = uuid ?? EventID(utf8: idText) else { throw damaged("\(quoted(idText)) is not an event id") }
        guard let device = DeviceID(utf8: deviceText) else { throw damaged("\(quoted(deviceText)) is not a device id") }
        guard let time = ObservedTime(utf8: timeText) else {
            throw damaged("\(quoted(timeText)) is not an observed time")
        }
        let event: Event
        do {
            event = try Self.event(
                id: id, device: device, sequence: try row.decode(Int64.self, column: 3),
                type: try row.decode(String.self, column: 4), time: time,
                subject: try row.decode(String.self, column: 5),
                payload: payload, hash: try row.decode(SHA256Digest.self, column: 8),
                previousHash: try row.decode(SHA256Digest.self, column: 9), signature: [], scratch: &scratch)
        } catch let damage as PayloadDamage {
            throw damaged(damage.problem)
        }
        self.init(event: event, position: position, received: Timestamp(microseconds: 0), chain: .zero)
    }

    /// The event of a stored row whose id, device and time are read: most payloads straight from their
    /// text; the rest, and any the plain reader does not take, through the JSON tree, which accepts and
    /// reports the same. Its hash is recomputed and must be the stored one.
    private static func event(
        id: EventID, device: DeviceID, sequence: Int64, type: String, time: ObservedTime, subject: String,
        payload: UnsafeBufferPointer<UInt8>, hash: SHA256Digest, previousHash: SHA256Digest, signature: [UInt8],
        scratch: inout [UInt8]
    ) throws(PayloadDamage) -> Event {
        do {
            if let plain = try Event(
                storedID: id, device: device, seq: sequence, writtenType: type, time: time, subject: subject,
                plainData: payload, prevHash: previousHash, signature: signature, storedHash: hash, scratch: &scratch)
            {
                return plain
            }
        } catch {
            throw PayloadDamage(problem: "\(error)")
        }
        let data: JSONValue
        do {
            data = try JSONParser.parse(payload)
        } catch {
            throw PayloadDamage(problem: "its payload is not JSON: \(error)")
        }
        do {
            return try Event(
                storedID: id, device: device, seq: sequence, writtenType: type, time: time, subject: subject,
                data: data, prevHash: previousHash, signature: signature, storedHash: hash, scratch: &scratch)
        } catch {
            throw PayloadDamage(problem: "\(error)")
        }
    }
}

/// What is wrong with a stored row past its id, device and time, in words.
private struct PayloadDamage: Error {
    var problem: String
}

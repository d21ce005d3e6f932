extension Event {
    /// An event read back from the server's own storage, field by field, as the store keeps them.
    ///
    /// Only what storage cannot vouch for is decoded: the payload, from `data`. The event hash is
    /// recomputed from the fields and must be `storedHash` — so a row changed behind the server's back
    /// is caught here too — unless `verifyingHash` is false. The signature is not checked: the server
    /// checked it when the event arrived, and auditors check it again from an export.
    public init(
        storedID id: EventID, device: DeviceID, seq: Int64, type: EventType, time: ObservedTime, subject: String,
        data: JSONValue, prevHash: SHA256Digest, signature: [UInt8], storedHash: SHA256Digest,
        verifyingHash: Bool = true, scratch: inout [UInt8]
    ) throws(EventDecodingError) {
        try self.init(
            storedID: id, device: device, seq: seq, writtenType: type.rawValue, time: time, subject: subject,
            data: data,
            prevHash: prevHash, signature: signature, storedHash: storedHash, verifyingHash: verifyingHash,
            scratch: &scratch)
    }

    /// An event read back from storage whose `type` is given as stored: the catalogue's, or an older
    /// version of one, read through `upcaster`.
    public init(
        storedID id: EventID, device: DeviceID, seq: Int64, writtenType: String, time: ObservedTime,
        subject: String, data: JSONValue, prevHash: SHA256Digest, signature: [UInt8], storedHash: SHA256Digest,
        verifyingHash: Bool = true, upcaster: Upcaster = .catalogue, scratch: inout [UInt8]
    ) throws(EventDecodingError) {
        let upcast = upcaster.upcast(type: writtenType, data: data)
        guard let type = EventType(rawValue: upcast.type), let currentData = upcast.data else {
            throw EventDecodingError([
                FieldError(
                    field: "type", code: .unknownType,
                    problem: "\"\(writtenType)\" is not an event type of the catalogue",
                    allowed: EnvelopeDecoder.typesAllowed)
            ])
        }
        let payload = try Payload.decode(type: type, data: currentData)
        try self.init(
            storedID: id, device: device, seq: seq, type: type, writtenType: writtenType, time: time,
            subject: subject, data: data, payload: payload, prevHash: prevHash, signature: signature,
            storedHash: storedHash, verifyingHash: verifyingHash, scratch: &scratch)
    }

    /// An event read back from storage whose `data` is given as the JSON text stored, when that text
    /// can be read without a tree (``Payload/plain(type:text:)``) and its type is the catalogue's current
    /// one; nil otherwise, and the caller parses the text and reads it with
    /// ``init(storedID:device:seq:writtenType:time:subject:data:prevHash:signature:storedHash:verifyingHash:upcaster:scratch:)``,
    /// which gives the same event for every text this reads. The hash is checked the same way.
    public init?(
        storedID id: EventID, device: DeviceID, seq: Int64, writtenType: String, time: ObservedTime,
        subject: String, plainData text: UnsafeBufferPointer<UInt8>, prevHash: SHA256Digest, signature: [UInt8],
        storedHash: SHA256Digest, scratch: inout [UInt8]
    ) throws(EventDecodingError) {
        guard let type = Upcaster.catalogue.currentType(of: writtenType), type.rawValue == writtenType,
            let payload = Payload.plain(type: type, text: text)
        else { return nil }
        try self.init(
            storedID: id, device: device, seq: seq, type: type, writtenType: writtenType, time: time,
            subject: subject, data: nil, payload: payload, prevHash: prevHash, signature: signature,
            storedHash: storedHash, verifyingHash: true, scratch: &scratch)
    }

    /// A stored event whose payload is decoded: its hash recomputed and checked unless `verifyingHash` is
    /// false. A nil `data` is exactly what `payload` writes, and is hashed as the payload writes it.
    private init(
        storedID id: EventID, device: DeviceID, seq: Int64, type: EventType, writtenType: String,
        time: ObservedTime, subject: String, data: JSONValue?, payload: Payload, prevHash: SHA256Digest,
        signature: [UInt8], storedHash: SHA256Digest, verifyingHash: Bool, scratch: inout [UInt8]
    ) throws(EventDecodingError) {
        if verifyingHash {
            let hash = EventHash.compute(
                id: id, source: device.source, type: writtenType, time: time.text, subject: subject, seq: seq,
                prevHash: prevHash, scratch: &scratch
            ) { out in
                if let data { CanonicalJSON.write(data, into: &out) } else { payload.writeCanonicalData(into: &out) }
            }
            guard hash == storedHash else {
                throw EventDecodingError([
                    FieldError(
                        field: "", code: .hashMismatch,
                        problem: "the stored fields hash to \(hash.hex), not to the stored hash \(storedHash.hex)",
                        allowed: "the event exactly as it was signed")
                ])
            }
        }
        self.init(
            id: id, device: device, seq: seq, type: type, time: time, subject: subject, data: data, payload: payload,
            prevHash: prevHash, signature: signature, hash: storedHash, writtenType: writtenType)
    }
}

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
        let payload = try Payload.decode(type: type, data: data)
        if verifyingHash {
            let hash = EventHash.compute(
                id: id, source: device.source, type: type, time: time.text, subject: subject, data: data, seq: seq,
                prevHash: prevHash, scratch: &scratch)
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
            prevHash: prevHash, signature: signature, hash: storedHash)
    }
}

/// The event hash: SHA-256 of the canonical form (RFC 8785) of the object made of exactly the
/// members `specversion`, `id`, `source`, `type`, `time`, `subject`, `datacontenttype`, `data`,
/// `seq` and `prevhash` — the event without its `signature` and without the server's fields.
///
/// The device signs these 32 bytes, and its next event names them in `prevhash`.
public enum EventHash {
    /// Appends the canonical form that is hashed. The members are written in their canonical order
    /// (`data`, `datacontenttype`, `id`, `prevhash`, `seq`, `source`, `specversion`, `subject`,
    /// `time`, `type`), so no sorting is needed.
    public static func writeCanonicalForm(
        id: EventID, source: String, type: EventType, time: String, subject: String, data: JSONValue, seq: Int64,
        prevHash: SHA256Digest, into out: inout [UInt8]
    ) {
        writeCanonicalForm(
            id: id, source: source, type: type.rawValue, time: time, subject: subject, data: data, seq: seq,
            prevHash: prevHash, into: &out)
    }

    /// Appends the canonical form that is hashed, for an event whose `type` is given as written (an
    /// older version of a type is no ``EventType``).
    public static func writeCanonicalForm(
        id: EventID, source: String, type: String, time: String, subject: String, data: JSONValue, seq: Int64,
        prevHash: SHA256Digest, into out: inout [UInt8]
    ) {
        writeCanonicalForm(
            id: id, source: source, type: type, time: time, subject: subject, seq: seq, prevHash: prevHash,
            into: &out
        ) { CanonicalJSON.write(data, into: &$0) }
    }

    /// Appends the canonical form that is hashed, its `data` appended in canonical form by `writeData`.
    static func writeCanonicalForm(
        id: EventID, source: String, type: String, time: String, subject: String, seq: Int64,
        prevHash: SHA256Digest, into out: inout [UInt8], data writeData: (inout [UInt8]) -> Void
    ) {
        append("{\"data\":", to: &out)
        writeData(&out)
        append(",\"datacontenttype\":\"application/json\",\"id\":\"", to: &out)
        id.write(into: &out)
        append("\",\"prevhash\":\"", to: &out)
        prevHash.writeHex(into: &out)
        append("\",\"seq\":", to: &out)
        CanonicalJSON.writeInteger(seq, into: &out)
        append(",\"source\":", to: &out)
        CanonicalJSON.writeString(source, into: &out)
        append(",\"specversion\":\"1.0\",\"subject\":", to: &out)
        CanonicalJSON.writeString(subject, into: &out)
        append(",\"time\":", to: &out)
        CanonicalJSON.writeString(time, into: &out)
        append(",\"type\":", to: &out)
        CanonicalJSON.writeString(type, into: &out)
        out.append(UInt8(ascii: "}"))
    }

    /// The canonical form that is hashed, as bytes.
    public static func canonicalForm(
        id: EventID, source: String, type: String, time: String, subject: String, data: JSONValue, seq: Int64,
        prevHash: SHA256Digest
    ) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(512)
        writeCanonicalForm(
            id: id, source: source, type: type, time: time, subject: subject, data: data, seq: seq,
            prevHash: prevHash, into: &out)
        return out
    }

    /// The event hash of an event of a catalogue type, using `scratch` as the buffer.
    public static func compute(
        id: EventID, source: String, type: EventType, time: String, subject: String, data: JSONValue, seq: Int64,
        prevHash: SHA256Digest, scratch: inout [UInt8]
    ) -> SHA256Digest {
        compute(
            id: id, source: source, type: type.rawValue, time: time, subject: subject, data: data, seq: seq,
            prevHash: prevHash, scratch: &scratch)
    }

    /// The event hash, `type` as written, using `scratch` as the buffer for the canonical form.
    public static func compute(
        id: EventID, source: String, type: String, time: String, subject: String, data: JSONValue, seq: Int64,
        prevHash: SHA256Digest, scratch: inout [UInt8]
    ) -> SHA256Digest {
        compute(
            id: id, source: source, type: type, time: time, subject: subject, seq: seq, prevHash: prevHash,
            scratch: &scratch
        ) { CanonicalJSON.write(data, into: &$0) }
    }

    /// The event hash, `type` as written, its `data` appended in canonical form by `writeData`, using
    /// `scratch` as the buffer for the canonical form.
    static func compute(
        id: EventID, source: String, type: String, time: String, subject: String, seq: Int64,
        prevHash: SHA256Digest, scratch: inout [UInt8], data writeData: (inout [UInt8]) -> Void
    ) -> SHA256Digest {
        scratch.removeAll(keepingCapacity: true)
        writeCanonicalForm(
            id: id, source: source, type: type, time: time, subject: subject, seq: seq, prevHash: prevHash,
            into: &scratch, data: writeData)
        return SHA256Digest.hash(scratch)
    }

    private static func append(_ literal: StaticString, to out: inout [UInt8]) {
        out.append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }
}

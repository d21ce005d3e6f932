import FieldSyncModel
import FieldSyncProjection
import FieldSyncStore
import FieldSyncTally
import HTTPTypes
import Hummingbird

/// A JSON answer made of stored tally documents and the few values around them (a position, a cutoff),
/// written in canonical form without parsing the documents: they are stored as the canonical bytes they
/// are served as, and copied into the answer unchanged.
///
/// The answer carries a strong `ETag`, the SHA-256 of its bytes, and is 304 Not Modified for a matching
/// `If-None-Match`.
indirect enum DocumentAnswer: Sendable {
    /// A value written in canonical form.
    case value(JSONValue)
    /// A stored document's bytes, already canonical.
    case stored([UInt8])
    /// An object; its members are written in canonical order.
    case object([String: DocumentAnswer])
    /// An array, in this order.
    case array([DocumentAnswer])
    /// A stored document that is an object, with these members added among its own in canonical order
    /// (a name it already has is not added twice: the stored member stays); its members copied unchanged.
    case storedObject(StoredObjectMembers, adding: [String: JSONValue])

    /// The documents by key, each as stored.
    static func keyed(_ documents: [TallySnapshot.Document]) -> DocumentAnswer {
        var members: [String: DocumentAnswer] = [:]
        for document in documents { members[document.key] = .stored(document.bytes) }
        return .object(members)
    }

    /// One document as stored, or null when there is none.
    static func document(_ document: TallySnapshot.Document?) -> DocumentAnswer {
        document.map { .stored($0.bytes) } ?? .value(.null)
    }

    /// Appends the canonical form of the answer to `out`.
    func write(into out: inout [UInt8]) {
        switch self {
        case .value(let value):
            CanonicalJSON.write(value, into: &out)
        case .stored(let bytes):
            out.append(contentsOf: bytes)
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (offset, name) in members.keys.sorted(by: CanonicalJSON.precedesInUTF16Order).enumerated() {
                if offset > 0 { out.append(UInt8(ascii: ",")) }
                CanonicalJSON.writeString(name, into: &out)
                out.append(UInt8(ascii: ":"))
                members[name]!.write(into: &out)
            }
            out.append(UInt8(ascii: "}"))
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            for (offset, element) in elements.enumerated() {
                if offset > 0 { out.append(UInt8(ascii: ",")) }
                element.write(into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .storedObject(let stored, let added):
            var pending = added.keys.sorted(by: CanonicalJSON.precedesInUTF16Order)[...]
            var first = true
            func separate() {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
            }
            func writeAdded(_ name: String) {
                separate()
                CanonicalJSON.writeString(name, into: &out)
                out.append(UInt8(ascii: ":"))
                CanonicalJSON.write(added[name]!, into: &out)
            }
            out.append(UInt8(ascii: "{"))
            for member in stored {
                while let name = pending.first, CanonicalJSON.precedesInUTF16Order(name, member.name) {
                    writeAdded(pending.removeFirst())
                }
                if pending.first == member.name { pending.removeFirst() }
                separate()
                out.append(contentsOf: stored.bytes[member.range])
            }
            for name in pending { writeAdded(name) }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// The answer's bytes: its canonical form and a line feed, as ``JSONResponse`` writes.
    var bytes: [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(Self.capacity(of: self))
        write(into: &out)
        out.append(0x0a)
        return out
    }

    /// 200 with the answer and its `ETag`, or 304 when `request`'s `If-None-Match` names that tag.
    func response(to request: Request) -> Response {
        let bytes = self.bytes
        let tag = "\"\(SHA256Digest.hash(bytes).hex)\""
        if let wanted = request.headers[.ifNoneMatch], FieldSyncServer.matches(wanted, tag: tag) {
            return Response(status: .notModified, headers: [.eTag: tag])
        }
        return Response(
            status: .ok, headers: [.contentType: "application/json", .eTag: tag],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// About how many bytes the answer takes: its stored documents' and a little for the rest.
    private static func capacity(of answer: DocumentAnswer) -> Int {
        switch answer {
        case .value: 256
        case .stored(let bytes): bytes.count + 32
        case .storedObject(let stored, let added): stored.bytes.count + 64 * added.count + 32
        case .object(let members): members.values.reduce(64) { $0 + capacity(of: $1) }
        case .array(let elements): elements.reduce(64) { $0 + capacity(of: $1) }
        }
    }
}

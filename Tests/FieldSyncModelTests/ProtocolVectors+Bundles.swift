@testable import FieldSyncModel

extension ProtocolVectors {
    /// A photo for the bundle vectors: a tiny "JPEG" (its first bytes make it one).
    static let bundlePhoto = try! BundlePhoto(bytes: [0xFF, 0xD8, 0xFF, 0xE0] + Array("Form-45 NA-248-017".utf8))

    /// reporter-1's events as stored, and one more: the station's result again, naming the photo.
    var bundleEvents: [Event] {
        let device = reporter1.key.publicKey.deviceID
        let own = stored.map(\.event).filter { $0.device == device }
        var chain = DeviceChain(device: device, lastSeq: own.last!.seq, lastHash: own.last!.hash)
        let reported = own.first { $0.type == .resultReported }!
        guard case .resultReported(var result) = reported.payload else { fatalError("not a result") }
        result.photo = Self.bundlePhoto.reference
        let again = try! chain.sign(
            EventDraft(payload: .resultReported(result), subject: reported.subject, time: reported.time),
            id: EventID(high: 0x0b0d_1e5e_0000_4000, low: 0x8000_0000_0000_0001), key: reporter1.key)
        return own + [again]
    }

    /// The bundle's lines (the manifest first), each edited by `edit`, joined again; the manifest's
    /// `contentBytes` and `contentSha256` made right when `fix`.
    static func editedBundle(_ bytes: [UInt8], fix: Bool, _ edit: (inout [[UInt8]]) -> Void) -> String {
        var lines = bytes.split(separator: 0x0a, omittingEmptySubsequences: false).map(Array.init)
        lines.removeLast()
        edit(&lines)
        let content = lines.dropFirst().flatMap { $0 + [UInt8(0x0a)] }
        if fix {
            var manifest = try! JSONParser.parse(lines[0]).objectValue!
            manifest["contentBytes"] = .integer(Int64(content.count))
            manifest["contentSha256"] = .string(SHA256Digest.hash(content).hex)
            lines[0] = CanonicalJSON.bytes(.object(manifest))
        }
        return String(decoding: lines[0] + [0x0a] + content, as: UTF8.self)
    }

    static func replacing(_ from: String, _ to: String, in line: [UInt8]) -> [UInt8] {
        Array(String(decoding: line, as: UTF8.self).replacing(from, with: to, maxReplacements: 1).utf8)
    }

    /// PROTOCOL.md §18: bundles that read, with their manifests, and bundles that must be refused, each with
    /// the kind of refusal and, for a chain, the device and seq at fault.
    var bundlesFile: String {
        let events = bundleEvents
        let device = reporter1.key.publicKey.deviceID.rawValue
        let day = try! EventBundle(events: events, photos: [Self.bundlePhoto])
        let reporter2Events = stored.map(\.event).filter { $0.device == reporter2.key.publicKey.deviceID }
        let two = try! EventBundle.merging([
            try! EventBundle(events: Array(events.prefix(3)), photos: []),
            try! EventBundle(events: reporter2Events, photos: []),
        ])
        let bytes = day.bytes
        let last = events.count
        let text = String(decoding: bytes, as: UTF8.self)
        func valid(_ name: String, _ bundle: EventBundle) -> JSONValue {
            [
                "name": .string(name), "bundle": .string(String(decoding: bundle.bytes, as: UTF8.self)),
                "manifest": bundle.manifest.jsonValue,
            ]
        }
        func broken(_ name: String, _ bundle: String, _ kind: BundleProblem.Kind, seq: Int64? = nil) -> JSONValue {
            var object: [String: JSONValue] = [
                "name": .string(name), "bundle": .string(bundle), "kind": .string(kind.rawValue),
            ]
            if let seq {
                object["device"] = .string(device)
                object["seq"] = .integer(seq)
            }
            return .object(object)
        }
        // Line 1 is the manifest, line 1 + k the event seq k.
        let broken: [JSONValue] = [
            broken("cut-short", String(text.dropLast(40)), .truncated),
            broken(
                "event-altered",
                Self.editedBundle(bytes, fix: false) { $0[3] = Self.replacing("T11:", "T12:", in: $0[3]) },
                .chainBroken, seq: 4),
            broken("event-removed", Self.editedBundle(bytes, fix: true) { $0.remove(at: 4) }, .chainBroken, seq: 4),
            broken(
                "last-event-altered",
                Self.editedBundle(bytes, fix: true) {
                    $0[last] = Self.replacing("T19:30:00", "T19:31:00", in: $0[last])
                },
                .tampered, seq: Int64(last)),
            broken(
                "photo-altered",
                Self.editedBundle(bytes, fix: true) {
                    $0[last + 1] = Self.replacing(#"{"bytes":"_9j"#, #"{"bytes":"_9i"#, in: $0[last + 1])
                },
                .tampered),
            broken(
                "content-hash",
                Self.editedBundle(bytes, fix: false) {
                    $0[0] = Self.replacing(day.manifest.contentSha256.hex, String(repeating: "0", count: 64), in: $0[0])
                }, .tampered),
            broken(
                "version-2",
                Self.editedBundle(bytes, fix: false) {
                    $0[0] = Self.replacing(#""version":1"#, #""version":2"#, in: $0[0])
                },
                .malformed),
        ]
        return PrettyJSON.string(
            [
                "valid": .array([valid("reporter-1-with-a-photo", day), valid("two-authors", two)]),
                "broken": .array(broken),
            ])
    }
}

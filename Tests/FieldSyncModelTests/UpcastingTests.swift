import Testing

@testable import FieldSyncModel

/// Reading an event written under an older version of its type (PROTOCOL.md §15). The catalogue is at
/// version 1 of every type, so these tests define an older version of `fieldsync.turnout.counted`, a
/// `v0` that said `votes` and `at` where v1 says `votesCast` and `asOf`, and read a signed v0 event
/// through the same decoding path every event takes, with the step v0 → v1.
@Suite struct UpcastingTests {
    static let older = "fieldsync.turnout.counted.v0"
    static let step = Upcaster.Step(from: older, to: EventType.turnoutCounted.rawValue) { data in
        guard case .object(var object) = data else { return data }
        if let votes = object.removeValue(forKey: "votes") { object["votesCast"] = votes }
        if let at = object.removeValue(forKey: "at") { object["asOf"] = at }
        return .object(object)
    }
    static let upcaster = Upcaster([step])
    static let olderData: JSONValue = ["votes": 412, "at": "2024-02-08T13:00:00+05:00", "male": 230]

    /// A v0 event as a device of that time signed it: the hash and signature cover the v0 type and data.
    static func signedOlderEvent(seq: Int64 = 1, prevHash: SHA256Digest = .zero) -> JSONValue {
        let key = Fixture.reporterKey
        let id = EventID(high: 7, low: UInt64(seq))
        let source = key.publicKey.deviceID.source
        let time = "2024-02-08T13:02:00+05:00"
        let hash = SHA256Digest.hash(
            EventHash.canonicalForm(
                id: id, source: source, type: older, time: time, subject: Fixture.station.rawValue, data: olderData,
                seq: seq, prevHash: prevHash))
        return [
            "specversion": "1.0", "id": .string(id.description), "source": .string(source), "type": .string(older),
            "time": .string(time), "subject": .string(Fixture.station.rawValue), "datacontenttype": "application/json",
            "data": olderData, "seq": .integer(seq), "prevhash": .string(prevHash.hex),
            "signature": .string(Base64URL.encode(key.signature(for: hash))),
        ]
    }

    @Test func anOlderVersionIsReadAsTheCurrentOne() throws {
        let event = try Event(json: Self.signedOlderEvent(), upcaster: Self.upcaster)
        #expect(event.type == .turnoutCounted)
        #expect(event.writtenType == Self.older)
        guard case .turnoutCounted(let count) = event.payload else {
            Issue.record("read as \(event.payload.type), not as a turnout count")
            return
        }
        #expect(count.votesCast == 412)
        #expect(count.male == 230)
        #expect(count.asOf.text == "2024-02-08T13:00:00+05:00")
    }

    @Test func theHashAndSignatureStayThoseOfWhatWasWritten() throws {
        let written = Self.signedOlderEvent()
        let event = try Event(json: written, upcaster: Self.upcaster)
        #expect(event.isSignatureValid(by: Fixture.reporterKey.publicKey))
        #expect(event.hash == SHA256Digest.hash(event.hashedBytes))
        #expect(event.data == Self.olderData, "the data is kept as written, not as upcast")
        #expect(event.jsonValue == written, "written back exactly as signed")
        // The device chain links through the written form.
        var chain = DeviceChain(device: Fixture.reporterKey.publicKey.deviceID)
        try chain.append(event)
        let next = try Event(json: Self.signedOlderEvent(seq: 2, prevHash: event.hash), upcaster: Self.upcaster)
        try chain.append(next)
    }

    @Test func theStoredPathUpcastsAndChecksTheStoredHash() throws {
        let event = try Event(json: Self.signedOlderEvent(), upcaster: Self.upcaster)
        var scratch = [UInt8]()
        let stored = try Event(
            storedID: event.id, device: event.device, seq: event.seq, writtenType: Self.older, time: event.time,
            subject: event.subject, data: Self.olderData, prevHash: event.prevHash, signature: event.signature,
            storedHash: event.hash, upcaster: Self.upcaster, scratch: &scratch)
        #expect(stored == event)
        #expect(throws: EventDecodingError.self) {
            try Event(
                storedID: event.id, device: event.device, seq: event.seq, writtenType: Self.older, time: event.time,
                subject: event.subject, data: ["votes": 413, "at": "2024-02-08T13:00:00+05:00", "male": 230],
                prevHash: event.prevHash, signature: event.signature, storedHash: event.hash,
                upcaster: Self.upcaster, scratch: &scratch)
        }
    }

    @Test func withoutTheStepTheOlderVersionIsRefusedByName() {
        do {
            _ = try Event(json: Self.signedOlderEvent())
            Issue.record("the catalogue read a version it has no step for")
        } catch {
            #expect(error.errors.contains { $0.field == "type" && $0.code == .unknownVersion })
        }
    }

    @Test func stepsComposeOneVersionAtATime() {
        let upcaster = Upcaster([
            .init(from: "x.thing.seen.v2", to: "x.thing.seen.v3") { _ in "three" },
            .init(from: "x.thing.seen.v1", to: "x.thing.seen.v2") { _ in "two" },
        ])
        #expect(upcaster.upcast(type: "x.thing.seen.v1", data: "one").type == "x.thing.seen.v3")
        #expect(upcaster.upcast(type: "x.thing.seen.v1", data: "one").data == "three")
        #expect(upcaster.upcast(type: "x.thing.seen.v3", data: "as is").data == "as is")
        #expect(Upcaster.catalogue.currentType(of: EventType.resultReported.rawValue) == .resultReported)
        #expect(Upcaster.catalogue.currentType(of: Self.older) == nil)
    }
}

import FieldSyncModel
import FieldSyncTally
import Testing

@Suite("Documents")
struct JSONDocumentTests {
    @Test("every document is written in canonical form: parsing and re-canonicalising gives the same bytes")
    func canonicalByConstruction() {
        let tally = ElectionTally(replaying: OrderIndependenceTests.day.syncOrder(seed: 1))
        let bytes = tally.canonicalBytes
        #expect(CanonicalJSON.bytes(try! JSONParser.parse(bytes)) == bytes)
        for row in tally.rows(for: tally.allChanges) {
            let document = row.document!
            #expect(CanonicalJSON.bytes(document) == row.canonicalBytes!, "\(row.kind) \(row.key)")
        }
        if let code = tally.constituencyCodes.first, let provenance = tally.provenance(constituency: code) {
            #expect(CanonicalJSON.bytes(provenance.jsonValue) == provenance.canonicalBytes)
        }
    }

    @Test("a rendered document holds no room beyond its bytes: a batch keeps thousands until they are written")
    func documentsKeepNoSpareCapacity() {
        let tally = ElectionTally(replaying: OrderIndependenceTests.day.syncOrder(seed: 1))
        // The official comparison is one document a batch, made through a JSON value: not counted here.
        for row in tally.rows(for: tally.allChanges) where row.kind != .official {
            guard let bytes = row.canonicalBytes else { continue }
            #expect(bytes.capacity - bytes.count < 64, "\(row.kind) \(row.key): \(bytes.count) of \(bytes.capacity)")
        }
    }

    @Test("text is escaped as the canonical form says")
    func escaping() {
        var log = TestLog()
        log.record(
            TestLog.deviceA, TestLog.s1, at: "12:00",
            .incidentObserved(Incident(kind: .other, severity: .low, description: "a \"quoted\"\nline\tand ü ✓")))
        let station = log.tally.station(TestLog.s1)!
        #expect(CanonicalJSON.bytes(station.jsonValue) == station.canonicalBytes)
        #expect(station.jsonValue["incidents"]?.arrayValue?.first?["description"] == "a \"quoted\"\nline\tand ü ✓")
    }
}

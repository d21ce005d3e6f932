import FieldSyncModel
import FieldSyncTally
import Foundation
import Testing

@Suite("Counting vectors")
struct CountingVectorTests {
    @Test("counting.json is what the generator makes (FIELDSYNC_WRITE_VECTORS=1 writes it)")
    func fileIsTheGenerators() throws {
        let vectors = try CountingVectors()
        let url = CountingVectors.folder.appendingPathComponent("counting.json")
        if ProcessInfo.processInfo.environment["FIELDSYNC_WRITE_VECTORS"] == "1" {
            try vectors.file.write(to: url, atomically: true, encoding: .utf8)
        }
        #expect(try String(contentsOf: url, encoding: .utf8) == vectors.file)
    }

    @Test("every case verifies as a log, and shows what its name says")
    func casesAreValidLogs() throws {
        let vectors = try CountingVectors()
        let expected: [String: (na248: String, held: [String])] = [
            "unassigned-report-is-held": ("reported", ["unassigned"]),
            "assigned-by-seat": ("disputed", []),
            "acceptance": ("confirmed", []),
            "rejection-after-acceptance": ("reported", ["rejected"]),
            "rejection-of-an-assigned-device": ("reported", ["rejected"]),
            "verified": ("verified", []),
            "verification-outdated": ("disputed", []),
            "assignment-releases": ("reported", []),
        ]
        for (name, _, events) in vectors.cases {
            var verifier = LogVerifier()
            for stored in vectors.base + vectors.stored(events) {
                #expect(verifier.verify(line: Array(stored.line.utf8)).isEmpty, "\(name): \(stored.event.type)")
            }
            let tally = ElectionTally(replaying: vectors.base + vectors.stored(events))
            let station = tally.station(CountingVectors.station)!
            #expect(station.result(for: CountingVectors.na248)?.status.rawValue == expected[name]?.na248, "\(name)")
            #expect(station.held.map(\.reason.rawValue) == expected[name]?.held, "\(name)")
        }
    }
}

import FieldSyncModel
import FieldSyncTally
import Foundation
import Testing

@Suite("Tally vectors")
struct TallyVectorTests {
    @Test("tallies.json is what the generator makes (FIELDSYNC_WRITE_VECTORS=1 writes it)")
    func fileIsTheGenerators() throws {
        let vectors = try TallyVectors()
        let url = CountingVectors.folder.appendingPathComponent("tallies.json")
        if ProcessInfo.processInfo.environment["FIELDSYNC_WRITE_VECTORS"] == "1" {
            try vectors.file.write(to: url, atomically: true, encoding: .utf8)
        }
        #expect(try String(contentsOf: url, encoding: .utf8) == vectors.file)
    }

    @Test("every document in tallies.json is canonical, and the fold of its log gives it byte for byte")
    func documentsAreTheFolds() throws {
        let vectors = try TallyVectors()
        let file = try JSONParser.parse(
            try String(contentsOf: CountingVectors.folder.appendingPathComponent("tallies.json"), encoding: .utf8))
        let cases = file["cases"]!.arrayValue!
        #expect(cases.count == vectors.cases.count)
        for (item, written) in zip(vectors.cases, cases) {
            let tally = ElectionTally(replaying: vectors.log.prefix(item.lines), asOf: item.cutoff)
            func check(_ text: JSONValue?, _ document: (some TallyDocument)?, _ what: String) {
                guard let text = text?.stringValue, let document else {
                    Issue.record("\(item.name): \(what) missing")
                    return
                }
                #expect(Array(text.utf8) == document.canonicalBytes, "\(item.name): \(what)")
                #expect(CanonicalJSON.string(try! JSONParser.parse(text)) == text, "\(item.name): \(what) canonical")
            }
            #expect(written["stations"]!.objectValue!.count == tally.stationCodes.count)
            for code in tally.stationCodes { check(written["stations"]?[code.rawValue], tally.station(code), code.rawValue) }
            #expect(written["constituencies"]!.objectValue!.count == tally.constituencyCodes.count)
            for code in tally.constituencyCodes {
                check(written["constituencies"]?[code.rawValue], tally.constituency(code), code.rawValue)
            }
            for name in tally.districtNames { check(written["districts"]?[name], tally.district(name), name) }
            check(written["city"], tally.city, "city")
        }
    }

    @Test("the cases show what their names say")
    func casesShowTheirPoint() throws {
        let vectors = try TallyVectors()
        let station = StationCode("NA-248-017")!
        let na248 = ConstituencyCode("NA-248")!
        let results = vectors.cases.map { item -> (ResultStatus?, Int?, [FlagCode]) in
            let tally = ElectionTally(replaying: vectors.log.prefix(item.lines), asOf: item.cutoff)
            let result = tally.station(station)?.result(for: na248)
            return (result?.status, result?.counted?.totalCast, tally.station(station)?.flags.map(\.code) ?? [])
        }
        #expect(results[0].0 == .verified && results[0].1 == 991 && results[0].2.isEmpty)
        #expect(results[1].0 == .reported && results[1].1 == 1000)
        #expect(results[2].0 == .reported && results[2].1 == 1000 && results[2].2 == [.verificationOutdated])
    }
}

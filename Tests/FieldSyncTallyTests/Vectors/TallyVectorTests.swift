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
            let tally = ElectionTally(replaying: item.events(of: vectors.log), asOf: item.cutoff)
            func check(_ text: JSONValue?, _ document: (some TallyDocument)?, _ what: String) {
                guard let text = text?.stringValue, let document else {
                    Issue.record("\(item.name): \(what) missing")
                    return
                }
                #expect(Array(text.utf8) == document.canonicalBytes, "\(item.name): \(what)")
                #expect(CanonicalJSON.string(try! JSONParser.parse(text)) == text, "\(item.name): \(what) canonical")
            }
            #expect(written["stations"]!.objectValue!.count == tally.stationCodes.count)
            #expect(
                written["summaries"]!.objectValue!.count
                    == tally.stationCodes.reduce(0) { $0 + tally.summarySeats(of: $1).count })
            for code in tally.stationCodes {
                check(written["stations"]?[code.rawValue], tally.station(code), code.rawValue)
                for seat in tally.summarySeats(of: code) {
                    let key = StationSummary.key(seat: seat, station: code)
                    check(
                        written["summaries"]?[key], tally.station(code).map { StationSummary($0, seat: seat) },
                        "summary \(key)")
                }
            }
            #expect(written["constituencies"]!.objectValue!.count == tally.constituencyCodes.count)
            for code in tally.constituencyCodes {
                check(written["constituencies"]?[code.rawValue], tally.constituency(code), code.rawValue)
            }
            for name in tally.districtNames { check(written["districts"]?[name], tally.district(name), name) }
            check(written["city"], tally.city, "city")
        }
    }

    @Test("every case is a log that verifies")
    func casesVerify() throws {
        let vectors = try TallyVectors()
        for item in vectors.cases {
            var verifier = LogVerifier()
            for stored in item.events(of: vectors.log) {
                #expect(verifier.verify(line: Array(stored.line.utf8)).isEmpty, "\(item.name): \(stored.position)")
            }
        }
    }

    @Test("the cases show what their names say")
    func casesShowTheirPoint() throws {
        let vectors = try TallyVectors()
        let first = StationCode("NA-248-017")!
        let second = StationCode("NA-248-018")!
        let na248 = ConstituencyCode("NA-248")!
        let tallies = vectors.cases.map { ElectionTally(replaying: $0.events(of: vectors.log), asOf: $0.cutoff) }
        func result(_ index: Int) -> ContestResult? { tallies[index].station(first)?.result(for: na248) }
        func flags(_ index: Int, _ station: StationCode) -> [FlagCode] {
            tallies[index].station(station)?.flags.map(\.code) ?? []
        }
        #expect(result(0)?.status == .verified && result(0)?.counted?.totalCast == 991)
        #expect(flags(0, first) == [.officialDiffersFromField])
        #expect(result(1)?.status == .reported && result(1)?.counted?.totalCast == 1000)
        #expect(result(2)?.status == .reported && flags(2, first) == [.verificationOutdated])
        let raised = Set(flags(3, first) + flags(3, second) + (tallies[3].constituency(na248)?.flags.map(\.code) ?? []))
        let unreachable: Set<FlagCode> = [.form45TotalsMismatch, .correctionNotApplied, .verificationOutdated]
        let seatOfficial: Set<FlagCode> = [.fieldChangesWinner, .officialExceedsStations]
        #expect(raised == Set(FlagCode.allCases).subtracting(unreachable).subtracting(seatOfficial))
        #expect(flags(4, first) == [.correctionNotApplied, .turnoutDecreased])
        // The commission's seat figures: a Form-49 superseded by one with another leader, a Form-47 above the
        // registered voters, and a Form-47 for a seat whose station has no official Form-45 for it.
        let seat = tallies[5].constituency(na248)
        #expect(seat?.flags.map(\.code) == [.fieldChangesWinner, .officialExceedsStations, .officialExceedsStations])
        #expect(seat?.official?.standing == .form49 && seat?.official?.leader == CandidateID("NA-248-C03"))
        #expect(seat?.official?.form49?.superseded.count == 1 && seat?.official?.form49?.field.isEqual == false)
        let provincial = tallies[5].constituency(ConstituencyCode("PS-125")!)?.official
        #expect(provincial?.form47 != nil && provincial?.form47?.form45 == nil && provincial?.form45.stations == 0)
        #expect(tallies[5].city.national.official.seatsWinnerChanged == 1)
        let before = tallies[6].constituency(na248)
        #expect(before?.flags.map(\.code) == [.officialExceedsStations])
        #expect(
            before?.official?.form49?.field.isEqual == true && before?.official?.leader == CandidateID("NA-248-C01"))
    }
}

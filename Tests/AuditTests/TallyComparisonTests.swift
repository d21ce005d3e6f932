import FieldSyncModel
import FieldSyncTally
import Testing

/// Comparing tally documents: nothing for equal ones, and each difference named by document, field and values.
@Suite struct TallyComparisonTests {
    let log = SignedLog()

    @Test func equalDocumentsHaveNoDifference() {
        let overview = TallyDocuments.overview(log.tally, cutoff: nil)
        #expect(TallyComparison.overview(replayed: overview, served: overview).isEmpty)
    }

    @Test func aChangedFigureIsNamedByDocumentAndPath() throws {
        let replayed = TallyDocuments.overview(log.tally, cutoff: nil)
        var served = try #require(replayed.objectValue)
        var seats = try #require(served["constituencies"]?.objectValue)
        var seat = try #require(seats[log.seat.rawValue]?.objectValue)
        var stations = try #require(seat["stations"]?.objectValue)
        stations["reported"] = 7
        seat["stations"] = .object(stations)
        seats[log.seat.rawValue] = .object(seat)
        served["constituencies"] = .object(seats)
        let differences = TallyComparison.overview(replayed: replayed, served: .object(served))
        #expect(differences.count == 1)
        let difference = try #require(differences.first)
        #expect(difference.document == "constituency \(log.seat)")
        #expect(difference.path == "stations.reported")
        #expect(difference.served == 7)
        #expect(difference.replayed == replayed["constituencies"]?[log.seat.rawValue]?["stations"]?["reported"])
        #expect(difference.description == "constituency \(log.seat) · stations.reported: replay 1, server 7")
    }

    @Test func candidatesAreMatchedByIdAndTheirOrderIsADifference() throws {
        let seat = try #require(log.tally.constituency(log.seat)?.jsonValue)
        var candidates = try #require(seat["candidates"]?.arrayValue)
        #expect(candidates.count >= 3)
        var changed = try #require(seat.objectValue)

        // One candidate's votes changed: one difference at that candidate, not one per candidate after it.
        var first = try #require(candidates[1].objectValue)
        first["votes"] = 123_456
        var edited = candidates
        edited[1] = .object(first)
        changed["candidates"] = .array(edited)
        let id = try #require(candidates[1]["candidate"]?.stringValue)
        let votes = TallyComparison.differences(document: "constituency", replayed: seat, served: .object(changed))
        #expect(votes.map(\.path) == ["candidates[\(id)].votes"])

        // The same candidates in another order.
        candidates.swapAt(0, 1)
        changed["candidates"] = .array(candidates)
        let order = TallyComparison.differences(document: "constituency", replayed: seat, served: .object(changed))
        #expect(order.map(\.path) == ["candidates (order)"])

        // A candidate missing on the server's side.
        changed["candidates"] = .array(Array(candidates.dropLast()))
        let missing = TallyComparison.differences(document: "constituency", replayed: seat, served: .object(changed))
        #expect(missing.count == 1)
        #expect(missing.first?.served == nil && missing.first?.replayed != nil)
        #expect(missing.first?.description.hasSuffix("server (absent)") == true)
    }

    @Test func aDocumentOnOneSideOnlyIsOneDifference() throws {
        let replayed = TallyDocuments.overview(log.tally, cutoff: nil)
        var served = try #require(replayed.objectValue)
        var districts = try #require(served["districts"]?.objectValue)
        districts["Nowhere"] = ["area": "district"]
        served["districts"] = .object(districts)
        let differences = TallyComparison.overview(replayed: replayed, served: .object(served))
        #expect(differences.map(\.document) == ["district Nowhere"])
        #expect(differences.first?.replayed == nil)
    }

    @Test func aSeatAnswerComparesEveryStation() throws {
        let tally = log.tally
        let replayed = try #require(TallyDocuments.constituency(tally, log.seat, cutoff: .position(tally.lastPosition)))
        #expect(replayed["asOf"] == ["position": .integer(tally.lastPosition)])
        #expect(replayed["stations"]?.objectValue?.count == log.stations.count)
        var served = try #require(replayed.objectValue)
        var stations = try #require(served["stations"]?.objectValue)
        let code = log.stations[0].code.rawValue
        var station = try #require(stations[code]?.objectValue)
        station["registeredVoters"] = 1
        stations[code] = .object(station)
        served["stations"] = .object(stations)
        let differences = TallyComparison.constituency(replayed: replayed, served: .object(served))
        #expect(
            differences.map { "\($0.document) \($0.path)" } == [
                "\(log.seat) summary of station \(code) registeredVoters"
            ])
    }

    @Test func aStationAnswerComparesTheStationsDocument() throws {
        let tally = log.tally
        let code = log.stations[0].code
        let replayed = try #require(TallyDocuments.station(tally, code, cutoff: nil))
        #expect(TallyComparison.station(replayed: replayed, served: replayed).isEmpty)
        var served = try #require(replayed.objectValue)
        var station = try #require(served["station"]?.objectValue)
        station["name"] = "Elsewhere"
        served["station"] = .object(station)
        served["position"] = 1
        served["events"] = []
        let differences = TallyComparison.station(replayed: replayed, served: .object(served))
        #expect(
            differences.map { "\($0.document) \($0.path)" } == ["answer for \(code) position", "station \(code) name"])
    }

    @Test func theOfficialComparisonIsOneDocument() throws {
        let replayed = TallyDocuments.official(log.tally)
        #expect(replayed["position"] == .integer(log.tally.lastPosition))
        #expect(replayed["differences"] == [])
        var served = try #require(replayed.objectValue)
        served["stations"] = 3
        let differences = TallyComparison.official(replayed: replayed, served: .object(served))
        #expect(differences.map(\.description) == ["official comparison · stations: replay 0, server 3"])
    }

    @Test func eachDocumentIsNamedByItsFirstDifferenceAndHowManyMore() {
        let difference = { (document: String, path: String) in
            TallyDifference(document: document, path: path, replayed: 1, served: 2)
        }
        let first = TallyComparison.firstPerDocument([
            difference("city", "flags.x"), difference("station NA-1-001", "name"), difference("city", "national.seats"),
            difference("city", "postponed"), difference("official comparison", "stations"),
        ])
        #expect(first.map(\.document) == ["city", "station NA-1-001", "official comparison"])
        #expect(first.map(\.path) == ["flags.x", "name", "stations"])
        #expect(first.map(\.more) == [2, 0, 0])
        #expect(first[0].description == "city · flags.x: replay 1, server 2 (and 2 more in this document)")
        #expect(first[1].description == "station NA-1-001 · name: replay 1, server 2")
        #expect(first[0].jsonValue["more"] == 2)
    }
}

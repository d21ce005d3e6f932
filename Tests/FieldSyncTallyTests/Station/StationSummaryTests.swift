import FieldSyncModel
import FieldSyncTally
import Testing

@Suite("Station summaries")
struct StationSummaryTests {
    private typealias L = TestLog

    /// A station with one device's day: `counts` turnout counts from 09:00, one a minute, then the same last
    /// count at 12:30, a correction, agents, and a Form-45.
    private static func station(counts: Int) -> StationTally {
        var log = TestLog()
        log.record(L.deviceA, L.s1, at: "07:55", L.opened("08:10"))
        log.record(L.deviceA, L.s1, at: "09:00", L.agents(["PPP": .present]))
        for index in 0..<counts {
            let minute = 9 * 60 + index
            let at = "\(minute / 60 < 10 ? "0" : "")\(minute / 60):\(minute % 60 < 10 ? "0" : "")\(minute % 60)"
            log.record(L.deviceA, L.s1, at: at, L.turnout(index + 1, asOf: at))
        }
        log.record(L.deviceA, L.s1, at: "12:30", L.turnout(250, asOf: "12:30"))
        let wrong = log.record(L.deviceA, L.s1, at: "19:00", L.form45(L.na248, [30, 20, 10, 0]))
        log.correct(L.deviceA, L.s1, at: "19:30", wrong.id, with: L.form45(L.na248, [300, 200, 100, 0]))
        return log.tally.station(L.s1)!
    }

    @Test("a summary keeps the station's status and counted figures, not its history")
    func keepsTheStatusNotTheHistory() throws {
        let tally = Self.station(counts: 5)
        let summary = StationSummary(tally, seat: L.na248).jsonValue
        let document = tally.jsonValue
        for member in ["agents", "corrections"] { #expect(summary[member] == nil, "\(member)") }
        #expect(document["agents"]?.arrayValue?.isEmpty == false)
        #expect(document["corrections"]?.arrayValue?.count == 1)
        #expect(summary["turnout"]?["history"] == nil)
        #expect(summary["turnout"]?["latest"]?["asOf"] == document["turnout"]?["latest"]?["asOf"])
        #expect(summary["turnout"]?["latest"]?["events"] == nil)
        #expect(summary["opening"]?["events"] == nil && document["opening"]?["events"] != nil)
        #expect(summary["turnout"]?["latest"]?["votesCast"]?.integerValue == 250)
        let result = try #require(summary["results"]?.arrayValue?.first { $0["constituency"] == "NA-248" })
        #expect(result["status"] == "reported")
        #expect(result["counted"]?["totalCast"]?.integerValue == 600)
        #expect(result["events"] == nil)
        #expect(result["reports"]?.arrayValue?.first?.objectValue?.keys.sorted() == ["device", "photo"])
        for member in ["station", "name", "national", "provincial", "registeredVoters"] {
            #expect(summary[member] == document[member], "\(member)")
        }
        #expect(CanonicalJSON.bytes(summary) == StationSummary(tally, seat: L.na248).canonicalBytes)
    }

    @Test("a summary keeps of the opening, the closing, the latest count and the incidents what a seat's page shows")
    func keepsWhatASeatsPageShows() throws {
        var log = TestLog()
        log.record(L.deviceA, L.s1, at: "08:05", L.opened("08:05", materials: false))
        log.record(L.deviceA, L.s1, at: "10:00", L.turnout(120, asOf: "10:00"))
        log.record(L.deviceA, L.s1, at: "10:30", L.incident(.violence, severity: .high))
        log.record(L.deviceA, L.s1, at: "17:10", L.closed("17:05", queue: 12))
        let tally = try #require(log.tally.station(L.s1))
        let summary = StationSummary(tally, seat: L.na248).jsonValue
        let document = tally.jsonValue
        #expect(summary["opening"]?.objectValue?.keys.sorted() == ["minutesLate", "openedAt"])
        #expect(summary["opening"]?["openedAt"] == document["opening"]?["openedAt"])
        #expect(summary["closing"]?.objectValue?.keys.sorted() == ["closedAt"])
        #expect(summary["closing"]?["closedAt"] == document["closing"]?["closedAt"])
        #expect(summary["turnout"]?["latest"] == ["asOf": .string(L.time("10:00").text), "votesCast": 120])
        let incident = try #require(summary["incidents"]?.arrayValue?.first)
        #expect(
            incident.objectValue?.keys.sorted() == ["description", "device", "kind", "occurredAt", "severity", "time"])
        #expect(incident["severity"] == "high" && incident["kind"] == document["incidents"]?.arrayValue?.first?["kind"])
    }

    @Test("a disputed result's summary keeps the range of its ballots, not of each candidate's votes")
    func keepsTheRangeOfTheBallots() throws {
        var log = TestLog()
        log.record(L.deviceA, L.s1, at: "19:00", L.form45(L.na248, [300, 200, 100, 0], rejected: 5))
        log.record(L.deviceB, L.s1, at: "19:10", L.form45(L.na248, [290, 210, 100, 0], rejected: 9))
        let tally = try #require(log.tally.station(L.s1))
        let range = try #require(
            StationSummary(tally, seat: L.na248).jsonValue["results"]?.arrayValue?.first {
                $0["constituency"] == "NA-248"
            }?["range"])
        let whole = try #require(tally.jsonValue["results"]?.arrayValue?.first?["range"])
        #expect(range.objectValue?.keys.sorted() == ["rejected", "totalCast"])
        #expect(range["rejected"] == whole["rejected"] && range["totalCast"] == whole["totalCast"])
        #expect(range["rejected"] == ["maximum": 9, "minimum": 5])
        #expect(whole["maximum"]?.objectValue?.isEmpty == false)
    }

    @Test("a summary counts the station's flags by code, however many there are")
    func countsFlagsByCode() throws {
        func station(drops: Int) throws -> StationTally {
            var log = TestLog()
            for index in 0..<drops {
                log.record(L.deviceA, L.s1, at: "1\(index):00", L.turnout(500, asOf: "1\(index):00"))
                log.record(L.deviceA, L.s1, at: "1\(index):30", L.turnout(400, asOf: "1\(index):30"))
            }
            return try #require(log.tally.station(L.s1))
        }
        let few = try station(drops: 2)
        let many = try station(drops: 6)
        let codes = (many.jsonValue["flags"]?.arrayValue ?? []).compactMap { $0["code"]?.stringValue }
        let fewCodes = few.jsonValue["flags"]?.arrayValue?.count ?? 0
        #expect(fewCodes > 0 && codes.count > fewCodes)
        let counts = try #require(StationSummary(many, seat: L.na248).jsonValue["flags"]?.objectValue)
        #expect(counts.mapValues(\.integerValue) == Dictionary(codes.map { ($0, Int64(1)) }, uniquingKeysWith: +))
        #expect(
            StationSummary(many, seat: L.na248).canonicalBytes.count
                - StationSummary(few, seat: L.na248).canonicalBytes.count
                < many.canonicalBytes.count - few.canonicalBytes.count)
        #expect(
            StationSummary(many, seat: L.na248).canonicalBytes.count <= StationSummary(few, seat: L.na248)
                .canonicalBytes.count + 64)
    }

    @Test("a summary does not grow with the station's turnout history")
    func doesNotGrowWithHistory() {
        let short = Self.station(counts: 2)
        let long = Self.station(counts: 200)
        #expect(long.canonicalBytes.count > short.canonicalBytes.count + 100 * 100)
        #expect(
            StationSummary(long, seat: L.na248).canonicalBytes.count
                == StationSummary(short, seat: L.na248).canonicalBytes.count)
    }

    @Test("a seat's summary carries the station's result for that seat only, and the status of each")
    func carriesOneSeatsResult() throws {
        var log = TestLog()
        log.record(L.deviceA, L.s1, at: "19:00", L.form45(L.na248, [300, 200, 100, 0]))
        log.record(L.deviceA, L.s1, at: "19:05", L.form45(L.ps125, [310, 190]))
        log.record(L.deviceB, L.s1, at: "19:10", L.form45(L.ps125, [300, 200]))
        let tally = try #require(log.tally.station(L.s1))
        #expect(tally.results.map(\.constituency) == [L.na248, L.ps125])
        let national = StationSummary(tally, seat: L.na248).jsonValue
        let provincial = StationSummary(tally, seat: L.ps125).jsonValue
        #expect(national["results"]?.arrayValue?.map { $0["constituency"] } == ["NA-248"])
        #expect(provincial["results"]?.arrayValue?.map { $0["constituency"] } == ["PS-125"])
        #expect(national["results"]?.arrayValue?.first?["status"] == "reported")
        #expect(provincial["results"]?.arrayValue?.first?["status"] == "disputed")
        let statuses: JSONValue = ["NA-248": "reported", "PS-125": "disputed"]
        #expect(national["statuses"] == statuses && provincial["statuses"] == statuses)
        var withoutResults = national.objectValue ?? [:]
        var otherWithoutResults = provincial.objectValue ?? [:]
        withoutResults["results"] = nil
        otherWithoutResults["results"] = nil
        #expect(withoutResults == otherWithoutResults)
        #expect(StationSummary.key(seat: L.ps125, station: L.s1) == "PS-125/NA-248-001")
        #expect(StationSummary.station(ofKey: "PS-125/NA-248-001") == "NA-248-001")
    }
}

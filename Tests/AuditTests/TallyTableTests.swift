import FieldSyncModel
import FieldSyncTally
import FieldSyncTestSupport
import Testing

/// The tables an editor reads: from the same documents the API serves.
@Suite struct TallyTableTests {
    let log = SignedLog()

    @Test func figuresReadAsEditorsWriteThem() {
        #expect(TallyText.count(Int64(0)) == "0")
        #expect(TallyText.count(Int64(999)) == "999")
        #expect(TallyText.count(Int64(1000)) == "1,000")
        #expect(TallyText.count(Int64(9_290_000)) == "9,290,000")
        #expect(TallyText.count(Int64(-12_345)) == "-12,345")
        #expect(TallyText.count(nil as Int64?) == "—")
        #expect(TallyText.percent(Int64(4823)) == "48.23%")
        #expect(TallyText.percent(Int64(5)) == "0.05%")
        #expect(TallyText.percent(Int64(10_000)) == "100.00%")
        #expect(TallyText.party(of: ["independent": true, "backedBy": "PTI"]) == "IND (PTI)")
        #expect(TallyText.party(of: ["independent": false, "party": "PPP"]) == "PPP")
        #expect(
            TallyText.nameWithParty(["name": "A very long candidate name indeed", "party": "MQM-P"], limit: 20)
                == "A very long… (MQM-P)")
    }

    @Test func aTableCutsAndPadsItsCells() {
        var table = TextTable([.init("CODE"), .init("VOTES", .right), .init("NAME", limit: 6)])
        table.add(["NA-1", "12", "Someone long"])
        table.add(["NA-22", "1,234", "Ali"])
        #expect(
            table.lines == [
                "CODE   VOTES  NAME", "─────  ─────  ──────", "NA-1      12  Someo…", "NA-22  1,234  Ali",
            ])
    }

    @Test func theCityOverviewListsEverySeatWithItsLeaderAndStations() throws {
        let tally = log.tally
        let lines = TallyTable.overview(TallyDocuments.overview(tally, cutoff: nil))
        let text = lines.joined(separator: "\n")
        #expect(
            lines[0]
                == "Pakistan general election 2024, Karachi · polling day 2024-02-08 — position \(tally.lastPosition) (live)"
        )
        let seat = try #require(tally.constituency(log.seat))
        let leader = try #require(seat.lead?.leader)
        let name = try #require(tally.reference.candidates[leader]?.name)
        let row = try #require(lines.first { $0.hasPrefix(log.seat.rawValue + " ") })
        #expect(row.contains(String(name.prefix(10))))
        // 1 reported, 1 confirmed, 1 disputed, of the seat's stations.
        #expect(row.contains("  1     1     1"))
        #expect(text.contains("National Assembly: 1 seats, 1 with a leader"))
        #expect(
            text.contains("disputed-could-change-leader")
                || !seat.flags.contains { $0.code == .disputedCouldChangeLeader })
        #expect(lines.allSatisfy { $0.count <= 140 })
    }

    @Test func theOverviewIsHeadedByTheElectionTheCityNames() {
        let answer: (JSONValue) -> JSONValue = { election in
            ["position": 3, "asOf": nil, "city": ["election": election], "constituencies": [:]]
        }
        let other: JSONValue = [
            "id": "test-2031", "name": "Test general election 2031, Northern Province",
            "pollingOpens": "2031-11-04T07:00:00-03:00", "synthetic": true,
        ]
        #expect(
            TallyTable.overview(answer(other))[0]
                == "Test general election 2031, Northern Province (synthetic) · polling day 2031-11-04 — position 3 (live)"
        )
        #expect(TallyTable.overview(answer(.null))[0] == "No election defined — position 3 (live)")
    }

    @Test func theOverviewSumsEachAssemblyApartAndSaysWhichSeatsArePostponed() throws {
        let rollUp: (Int) -> JSONValue = { seats in
            ["seats": .integer(Int64(seats)), "seatsWithLeader": 0, "seatsInDoubt": 0, "stations": ["total": 0]]
        }
        let answer: JSONValue = [
            "position": 7, "asOf": nil,
            "city": [
                "national": rollUp(3), "provincial": ["PS": rollUp(2), "PP": rollUp(4)], "postponed": ["NA-8"],
                "flags": [:],
            ],
            "constituencies": [:],
        ]
        let lines = TallyTable.overview(answer)
        let national = try #require(lines.firstIndex { $0.hasPrefix("National Assembly: 3 seats") })
        let punjab = try #require(lines.firstIndex { $0.hasPrefix("Provincial assembly PP: 4 seats") })
        let sindh = try #require(lines.firstIndex { $0.hasPrefix("Provincial assembly PS: 2 seats") })
        #expect(national < punjab && punjab < sindh)
        #expect(lines.contains("Postponed, left out of the sums: NA-8"))

        var seat = try #require(TallyDocuments.constituency(log.tally, log.seat, cutoff: nil))
        #expect(!TallyTable.constituency(seat)[0].contains("postponed"))
        seat = .object(
            (seat.objectValue ?? [:]).merging([
                "constituency": .object((seat["constituency"]?.objectValue ?? [:]).merging(["postponed": true]) { $1 })
            ]) { $1 })
        #expect(TallyTable.constituency(seat)[0].contains("postponed: not polled, left out of the roll-ups"))
    }

    @Test func aConstituencyShowsCandidatesAndEveryStationStatus() throws {
        let tally = log.tally
        let answer = try #require(TallyDocuments.constituency(tally, log.seat, cutoff: .position(tally.lastPosition)))
        let lines = TallyTable.constituency(answer)
        let text = lines.joined(separator: "\n")
        #expect(lines[0].hasPrefix("\(log.seat) "))
        #expect(lines[0].hasSuffix("as of position \(tally.lastPosition)"))
        for candidate in try #require(tally.constituency(log.seat)?.candidates) {
            #expect(text.contains(candidate.id.rawValue))
        }
        let stations = log.stations
        #expect(lines.contains { $0.hasPrefix(stations[0].code.rawValue) && $0.contains("confirmed") })
        #expect(lines.contains { $0.hasPrefix(stations[1].code.rawValue) && $0.contains("disputed") })
        #expect(lines.contains { $0.hasPrefix(stations[2].code.rawValue) && $0.contains("reported") })
        #expect(lines.contains { $0.hasPrefix(stations[3].code.rawValue) && $0.contains("unreported") })
        #expect(text.contains("Disputed, left out of the counted totals: \(stations[1].code)"))
        // FLAGS, right-aligned under its heading: every flag of the station, from its summary's counts by code.
        let heading = try #require(lines.first { $0.hasPrefix("STATION") })
        let flagsEnd = try #require(heading.firstRange(of: "FLAGS")).upperBound.utf16Offset(in: heading)
        var flagged = 0
        for station in stations {
            let line = try #require(lines.first { $0.hasPrefix(station.code.rawValue + " ") })
            let cell = String(line.utf16.prefix(flagsEnd))?.split(separator: " ").last.map(String.init)
            let flags = tally.station(station.code)?.flags.count ?? 0
            #expect(cell == String(flags), "\(station.code)")
            flagged += flags
        }
        #expect(flagged > 0)
    }

    @Test func aStationShowsEachDevicesFigures() throws {
        let tally = log.tally
        let code = log.stations[1].code
        let answer: JSONValue = [
            "position": .integer(tally.lastPosition), "asOf": .null,
            "station": try #require(tally.station(code)?.jsonValue), "events": [],
        ]
        let lines = TallyTable.station(answer)
        let text = lines.joined(separator: "\n")
        #expect(lines[0].hasPrefix("\(code) "))
        #expect(text.contains("\(log.seat): disputed (2 devices)"))
        #expect(text.contains("power-outage (low)"))
        #expect(text.contains("Turnout: "))
        let devices = log.reporters.map { String($0.device.rawValue.prefix(8)) }
        #expect(text.contains(devices[0]) && text.contains(devices[2]))
        let corrected = TallyTable.station([
            "position": 1, "asOf": .null, "station": try #require(tally.station(log.stations[2].code)?.jsonValue),
        ]).joined(separator: "\n")
        #expect(corrected.contains("replaces"))
        #expect(corrected.contains("retracts"))
        #expect(corrected.contains(": applied"))
    }
}

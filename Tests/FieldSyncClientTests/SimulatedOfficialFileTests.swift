import FieldSyncClient
import FieldSyncModel
import Testing

/// The commission's file `simulate --official-differences` writes, from seat answers made here: the
/// counted results whose reports agree, as the field counted them, exactly N of them altered, by turns a
/// few votes and more than the margin, the same for the same seed.
@Suite struct SimulatedOfficialFileTests {
    /// A station document with one result for `seat`: `devices` reports of these figures, or a disputed one.
    static func station(
        _ code: String, seat: String, votes: [String: Int64], devices: [String], disputed: Bool = false
    ) -> JSONValue {
        let total = votes.values.reduce(0, +) + 3
        let figures: JSONValue = .object(votes.mapValues { .integer($0) })
        let reports: [JSONValue] = devices.enumerated().map { index, device in
            let own: JSONValue =
                disputed && index == 1
                ? .object(votes.mapValues { .integer($0 + 1) }) : figures
            return .object([
                "device": .string(device), "votes": own, "rejected": 3, "totalCast": .integer(total),
            ])
        }
        return .object([
            "station": .string(code), "registeredVoters": 1000,
            "results": .array([
                .object([
                    "constituency": .string(seat), "status": .string(disputed ? "disputed" : "confirmed"),
                    "counted": disputed
                        ? .null : .object(["votes": figures, "rejected": 3, "totalCast": .integer(total)]),
                    "reports": .array(reports),
                ])
            ]),
        ])
    }

    static let answer: JSONValue = {
        var stations = [String: JSONValue]()
        for number in 1...12 {
            let code = "NA-240-" + String(String(number + 1000).suffix(3))
            stations[code] = station(
                code, seat: "NA-240", votes: ["NA-240-C01": 200, "NA-240-C02": 150, "NA-240-C03": 20],
                devices: number % 3 == 0 ? ["aaaa\(number)", "bbbb\(number)"] : ["cccc\(number)"],
                disputed: number == 12)
        }
        return .object([
            "constituency": .object(["constituency": "NA-240", "lead": .object(["margin": 40])]),
            "stations": .object(stations),
        ])
    }()

    @Test func exactlyNAlteredByTurnsSmallAndLargerThanTheMargin() throws {
        let file = SimulatedOfficialFile(answers: [Self.answer], count: 5, seed: 9)
        #expect(file.results == 11, "the disputed result is left out")
        #expect(file.alterations.count == 5)
        let sizes = file.alterations.map { abs($0.difference) }.sorted()
        #expect(sizes.filter { $0 <= 9 }.count == 3 && sizes.filter { $0 > 40 }.count == 2, "\(sizes)")
        // Single-report results first: eight of the eleven have one report.
        #expect(file.alterations.allSatisfy { $0.devices.count == 1 })

        let records = try CSVReader().records(file.csv)
        #expect(records.first?.fields == ["station", "constituency", "candidate", "votes"])
        #expect(records.count == 1 + 11 * 5)
        let rows = records.dropFirst().map(\.fields)
        for alteration in file.alterations {
            let row = try #require(rows.first { $0[0] == alteration.station && $0[2] == alteration.candidate })
            #expect(Int(row[3]) == alteration.official)
            let total = try #require(rows.first { $0[0] == alteration.station && $0[2] == "total" })
            #expect(Int(total[3]) == 373 - alteration.difference, "the total adds up")
        }
        let unaltered = Set(rows.map { $0[0] }).subtracting(file.alterations.map(\.station))
        for station in unaltered {
            #expect(rows.first { $0[0] == station && $0[2] == "NA-240-C01" }?[3] == "200")
        }
    }

    @Test func theSameSeedGivesTheSameFile() {
        let one = SimulatedOfficialFile(answers: [Self.answer], count: 4, seed: 3)
        let two = SimulatedOfficialFile(answers: [Self.answer], count: 4, seed: 3)
        let other = SimulatedOfficialFile(answers: [Self.answer], count: 4, seed: 4)
        #expect(one.csv == two.csv && one.alterations == two.alterations)
        #expect(one.alterations != other.alterations)
        // More than the results that count: every one of them, no more.
        #expect(SimulatedOfficialFile(answers: [Self.answer], count: 50, seed: 3).alterations.count == 11)
    }
}

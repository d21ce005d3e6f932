import FieldSyncModel
import FieldSyncTally
import Testing

/// `tally SEAT --official` from a seat's answer: the reports that differ, largest first, against the margin.
@Suite struct OfficialDifferencesTests {
    static func station(_ code: String, _ reports: [(String, [String: Int64], Int64)]) -> JSONValue {
        .object([
            "station": .string(code),
            "official": .array([
                .object([
                    "constituency": "NA-248", "event": .string("official-of-\(code)"),
                    "reports": .array(
                        reports.map { device, differences, total in
                            .object([
                                "device": .string(device), "equal": .bool(differences.isEmpty && total == 0),
                                "differences": .object(differences.mapValues { .integer($0) }), "rejected": 0,
                                "totalCast": .integer(total), "events": .array([.string("event-of-\(device)")]),
                            ])
                        }),
                ])
            ]),
        ])
    }

    static let answer: JSONValue = .object([
        "constituency": .object(["constituency": "NA-248", "lead": .object(["margin": 10])]),
        "stations": .object([
            "NA-248-001": station("NA-248-001", [("aaaa", ["NA-248-C02": 3], 3), ("bbbb", [:], 0)]),
            "NA-248-002": station("NA-248-002", [("cccc", ["NA-248-C01": -20, "NA-248-C02": 4], -16)]),
            "NA-248-003": station("NA-248-003", []),
        ]),
    ])

    @Test func largestFirstAgainstTheMargin() {
        let found = OfficialDifferences(Self.answer)
        #expect(found.stations == 3)
        #expect(found.differences.map(\.station) == ["NA-248-002", "NA-248-001"])
        #expect(found.differences.map(\.size) == [20, 3])
        #expect(
            found.lines == [
                "NA-248: official Form-45s at 3 stations; 2 field reports differ (field margin 10)",
                "  NA-248-002  device cccc  NA-248: NA-248-C01 -20, NA-248-C02 +4, total -16 — 20 of the margin 10 "
                    + "(could change the winner)",
                "      evidence: official official-of-NA-248-002; report event-of-cccc",
                "  NA-248-001  device aaaa  NA-248: NA-248-C02 +3, total +3 — 3 of the margin 10",
                "      evidence: official official-of-NA-248-001; report event-of-aaaa",
            ])
        let json = found.jsonValue
        #expect(json["differences"]?.arrayValue?.first?["official"] == "official-of-NA-248-002")
        #expect(json["differences"]?.arrayValue?.first?["marginBasisPoints"] == .integer(20_000))
        // Read back as `GET /v1/official` writes it: the same listing.
        #expect(OfficialDifferences(listing: json).lines == found.lines)
    }

    /// Across seats: a seat without a margin first, then the size relative to each seat's margin, not the
    /// size alone; a difference of 30 in a seat won by 1,000 comes after one of 5 in a seat won by 10.
    @Test func theCityInOrderOfTheSizeRelativeToEachMargin() {
        func seat(_ code: String, _ station: String, margin: Int64?, _ difference: Int64) -> (JSONValue, JSONValue) {
            var document = Self.station(station, [("dev-\(station)", ["\(code)-C01": difference], difference)])
            if case .object(var object) = document, case .object(var official) = object["official"]?.arrayValue?[0] {
                official["constituency"] = .string(code)
                object["official"] = .array([.object(official)])
                document = .object(object)
            }
            let lead: JSONValue = margin.map { .object(["margin": .integer($0)]) } ?? .null
            return (document, .object(["constituency": .string(code), "lead": lead]))
        }
        let all = [
            seat("NA-240", "NA-240-001", margin: 1000, 30), seat("NA-241", "NA-241-001", margin: 10, -5),
            seat("NA-242", "NA-242-001", margin: nil, 2), seat("NA-243", "NA-243-001", margin: 100, 20),
        ]
        let found = OfficialDifferences(stations: all.map(\.0), seats: all.map(\.1))
        #expect(found.differences.map(\.station) == ["NA-242-001", "NA-241-001", "NA-243-001", "NA-240-001"])
        #expect(found.differences.map(\.marginBasisPoints) == [nil, 5000, 2000, 300])
        #expect(found.differences.map(\.couldChangeWinner) == [true, false, false, false])
        #expect(
            found.lines[0]
                == "Every seat: official Form-45s at 4 stations; 4 field reports differ, the most decisive first")
        #expect(found.lines[1].hasSuffix("— the seat has no margin (could change the winner)"))
    }
}

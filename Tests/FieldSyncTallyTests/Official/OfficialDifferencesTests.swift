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
                "  NA-248-002  device cccc: NA-248-C01 -20, NA-248-C02 +4, total -16 — 20 of the margin 10 "
                    + "(could change the winner)",
                "  NA-248-001  device aaaa: NA-248-C02 +3, total +3 — 3 of the margin 10",
            ])
        #expect(found.jsonValue["differences"]?.arrayValue?.first?["official"] == "official-of-NA-248-002")
    }
}

import Testing

@testable import FieldSyncModel

/// Seat codes of every assembly: `NA`, `PP`, `PS`, `PK`, `PB`, their order, and what is refused.
@Suite struct ConstituencyCodeTests {
    @Test(arguments: [
        ("NA-1", SeatPrefix.na, Assembly.national, 1), ("NA-266", .na, .national, 266),
        ("PP-297", .pp, .provincial, 297), ("PS-130", .ps, .provincial, 130), ("PK-115", .pk, .provincial, 115),
        ("PB-51", .pb, .provincial, 51), ("PB-9999", .pb, .provincial, 9999),
    ])
    func everyAssemblysSeatsRead(text: String, prefix: SeatPrefix, assembly: Assembly, number: Int) throws {
        let code = try #require(ConstituencyCode(text))
        #expect(code.prefix == prefix)
        #expect(code.assembly == assembly)
        #expect(code.number == number)
        #expect(code.rawValue == text)
        #expect(ConstituencyCode(prefix: prefix, number: number) == code)
    }

    @Test(arguments: [
        "", "NA", "NA-", "NA-0", "NA-01", "NA-10000", "na-248", "Na-248", "PX-1", "PA-1", "XX-1", "NA 248", "NA-248 ",
        "NA--1", "NA-+1", "NA-1a", "PS-", "PPP-1", "P-1", "NA-248-017",
    ])
    func malformedCodesAreRefused(text: String) {
        #expect(ConstituencyCode(text) == nil)
    }

    @Test func candidatesAndStationsOfEveryAssembly() {
        for text in ["NA-8-C01", "PP-1-C12", "PS-125-C03", "PK-115-C100", "PB-51-C07"] {
            #expect(CandidateID(text)?.rawValue == text)
        }
        #expect(CandidateID("PX-1-C01") == nil)
        // A station's code starts with its National Assembly seat, never a provincial one.
        #expect(StationCode("NA-46-001")?.national.rawValue == "NA-46")
        for text in ["PP-1-001", "PS-84-001", "PK-1-001", "PB-1-001"] { #expect(StationCode(text) == nil) }
    }

    /// Codes are the keys of most of what a server holds: each is kept in a few bytes, and reads back the
    /// same at the ends of its ranges.
    @Test func codesAreSmallAndKeepTheirWholeRange() throws {
        #expect(MemoryLayout<ConstituencyCode>.size == 4)
        #expect(MemoryLayout<StationCode>.size <= 8)
        #expect(MemoryLayout<CandidateID>.size <= 8)
        #expect(MemoryLayout<StationCode?>.size <= 8)
        for text in ["NA-9999-0000", "NA-1-9999", "NA-248-017", "NA-248-0017", "NA-1-000"] {
            let code = try #require(StationCode(text))
            #expect(code.rawValue == text)
        }
        let station = StationCode(national: try #require(ConstituencyCode("NA-9999")), number: 9999)
        #expect((station.number, station.width, station.rawValue) == (9999, 4, "NA-9999-9999"))
        #expect(StationCode("NA-248-017") != StationCode("NA-248-0017"))
        #expect(try #require(StationCode("NA-248-017")) < #require(StationCode("NA-248-0017")))
        for text in ["PB-9999-C999", "NA-1-C00", "NA-248-C07", "NA-248-C007"] {
            let candidate = try #require(CandidateID(text))
            #expect(candidate.rawValue == text)
        }
        let candidate = CandidateID(constituency: try #require(ConstituencyCode("PB-9999")), number: 999)
        #expect((candidate.number, candidate.width, candidate.rawValue) == (999, 3, "PB-9999-C999"))
    }

    @Test func nationalSeatsComeFirstThenEachProvincialAssembly() {
        let codes = ["PB-1", "PS-2", "NA-266", "PK-1", "PP-297", "NA-1", "PS-130", "PP-1"].compactMap {
            ConstituencyCode($0)
        }
        #expect(
            codes.sorted().map(\.rawValue) == ["NA-1", "NA-266", "PP-1", "PP-297", "PS-2", "PS-130", "PK-1", "PB-1"])
    }

    @Test func aBadCodeIsNamedWithEveryPrefixAllowed() {
        var errors = [FieldError]()
        let data: JSONValue = ["code": "PX-12", "name": "x", "district": "y", "assembly": "provincial"]
        _ = Payload.decode(type: .constituencyDefined, data: data, errors: &errors)
        #expect(errors.summary == ["data.code invalid-format"])
        #expect(errors.first?.allowed == ConstituencyCode.allowed)
        #expect(ConstituencyCode.allowed.hasPrefix("NA-<n>, PP-<n>, PS-<n>, PK-<n> or PB-<n>"))
        // A provincial code with the national kind of assembly is refused, and the other way round.
        errors = []
        let national: JSONValue = ["code": "PK-12", "name": "x", "district": "y", "assembly": "national"]
        _ = Payload.decode(type: .constituencyDefined, data: national, errors: &errors)
        #expect(errors.summary == ["data.assembly not-allowed"])
        #expect(errors.first?.allowed == "\"provincial\" for a code starting PK-")
    }
}

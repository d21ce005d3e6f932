import Testing

@testable import FieldSyncModel

/// The commission's CSV files read into official results: the layouts of each form, and every bad row
/// reported with its line and field, with nothing read from a file that has one.
@Suite struct OfficialFileTests {
    static let editor = Fixture.editorKey.publicKey.deviceID

    static func read(_ text: String, form: OfficialResult.Form = .form45) throws(CSVProblems) -> [OfficialResult] {
        try OfficialFile(form: form, reference: Fixture.reference).results(
            Array(text.utf8), sourceURL: nil, editor: editor)
    }

    /// Each problem as `line[, field]: problem`.
    static func problems(_ text: String, form: OfficialResult.Form = .form45) -> [String] {
        problems(bytes: Array(text.utf8), form: form)
    }

    static func problems(bytes: [UInt8], form: OfficialResult.Form = .form45) -> [String] {
        do {
            _ = try OfficialFile(form: form, reference: Fixture.reference).results(
                bytes, sourceURL: nil, editor: editor)
            return []
        } catch {
            return error.problems.map { "\($0.place): \($0.problem)" }
        }
    }

    static let good45 = """
        station,constituency,candidate,votes
        NA-248-017,NA-248,NA-248-C01,100
        NA-248-017,NA-248,NA-248-C02,50
        NA-248-017,NA-248,NA-248-C03,30
        NA-248-017,NA-248,rejected,5
        NA-248-017,NA-248,total,185
        NA-248-017,PS-125,PS-125-C01,170
        NA-248-017,PS-125,rejected,4
        NA-248-017,PS-125,total,174

        """

    @Test func aForm45FileGivesOneResultPerStationAndSeat() throws {
        let results = try Self.read(Self.good45)
        #expect(results.count == 2)
        let na = try #require(results.first)
        #expect(na.form == .form45 && na.station == Fixture.station && na.constituency == Fixture.na248)
        #expect(
            na.votes == [
                CandidateID("NA-248-C01")!: 100, CandidateID("NA-248-C02")!: 50, CandidateID("NA-248-C03")!: 30,
            ])
        #expect(na.rejected == 5 && na.totalCast == 185)
        #expect(na.fileSha256 == SHA256Digest.hash(Array(Self.good45.utf8)))
        #expect(na.editor == Self.editor)
        #expect(results[1].constituency == Fixture.ps125 && results[1].totalCast == 174)
    }

    @Test func aSeatFormHasNoStationColumn() throws {
        let text = """
            constituency,candidate,votes
            NA-248,NA-248-C01,60210
            NA-248,NA-248-C02,58876
            NA-248,NA-248-C03,1000
            NA-248,rejected,2140
            NA-248,total,122226
            """
        let results = try Self.read(text, form: .form47)
        #expect(results.map(\.station) == [nil])
        #expect(results.map(\.form) == [.form47])
        #expect(
            Self.problems(text, form: .form45) == [
                "line 1: the header is \"constituency,candidate,votes\""
            ])
    }

    @Test func rowsInAnyOrderWithQuotesAndSpaces() throws {
        let text = """
            station,constituency,candidate,votes\r
            "NA-248-017", NA-248 ,total,185\r
            NA-248-017,NA-248,NA-248-C03,30\r
            NA-248-017,NA-248,"NA-248-C02",50\r
            NA-248-017,NA-248,Rejected,5\r
            NA-248-017,NA-248,NA-248-C01,100\r

            """
        #expect(try Self.read(text).map(\.totalCast) == [185])
    }

    @Test func aSeatThatIsNotTheStations() {
        #expect(
            Self.problems(Self.good45.replacingOccurrences("NA-248-017,PS-125,rejected", "NA-248-017,PS-84,rejected"))
                == [
                    "line 8, field 2: PS-84 is not a seat of station NA-248-017",
                    "line 7: NA-248-017 for PS-125 has no row for rejected",
                ])
    }

    @Test func anUnknownStationOrCandidate() {
        #expect(
            Self.problems(
                Self.good45.replacingOccurrences("NA-248-017,NA-248,NA-248-C02", "NA-248-018,NA-248,NA-248-C02"))
                == [
                    "line 3, field 1: station NA-248-018 is not known",
                    "line 2: NA-248-017 for NA-248 has no row for NA-248-C02",
                ])
        #expect(
            Self.problems(Self.good45.replacingOccurrences("NA-248,NA-248-C02", "NA-248,NA-248-C09"))
                == [
                    "line 3, field 3: \"NA-248-C09\" is not a known candidate",
                    "line 2: NA-248-017 for NA-248 has no row for NA-248-C02",
                ])
        #expect(
            Self.problems(Self.good45.replacingOccurrences("NA-248,NA-248-C02", "NA-248,NA-247-C01"))
                == [
                    "line 3, field 3: NA-247-C01 does not stand in NA-248",
                    "line 2: NA-248-017 for NA-248 has no row for NA-248-C02",
                ])
    }

    @Test func totalsThatDoNotAddUp() {
        #expect(
            Self.problems(Self.good45.replacingOccurrences("total,185", "total,190"))
                == [
                    "line 6, field 4: the total 190 of NA-248-017 for NA-248 is not the candidates' votes plus rejected, 185"
                ])
    }

    @Test func aDuplicateRow() {
        let text = Self.good45 + "NA-248-017,NA-248,NA-248-C02,50\n"
        #expect(Self.problems(text) == ["line 10, field 3: a second row for NA-248-C02 at NA-248-017"])
    }

    @Test func notACount() {
        #expect(
            Self.problems(Self.good45.replacingOccurrences("NA-248-C01,100", "NA-248-C01,1e2"))
                == [
                    "line 2, field 4: \"1e2\" is not a count",
                    "line 3: NA-248-017 for NA-248 has no row for NA-248-C01",
                ])
    }

    @Test func moreBallotsThanRegisteredVoters() {
        let text = Self.good45.replacingOccurrences("NA-248-C01,100", "NA-248-C01,1200")
            .replacingOccurrences("total,185", "total,1285")
        #expect(
            Self.problems(text) == [
                "line 6: NA-248-017 for NA-248: 1285 is more than the station's 1281 registered voters"
            ])
    }

    @Test func notUTF8() {
        var bytes = Array(Self.good45.utf8)
        bytes.insert(0xE9, at: bytes.firstIndex(of: 0x0a)! + 5)  // Latin-1 é on line 2
        #expect(Self.problems(bytes: bytes) == ["line 2: is not UTF-8 text"])
    }

    @Test func anEmptyFileOrOnlyAHeader() {
        #expect(Self.problems("") == ["line 1: is empty"])
        #expect(Self.problems("station,constituency,candidate,votes\n") == ["line 2: no figures"])
    }
}

extension String {
    fileprivate func replacingOccurrences(_ old: String, _ new: String) -> String {
        split(separator: old, omittingEmptySubsequences: false).joined(separator: new)
    }
}

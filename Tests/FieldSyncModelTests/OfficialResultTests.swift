import Testing

@testable import FieldSyncModel

/// `fieldsync.official.published.v1`: its shape (PROTOCOL.md §9.1, §10.1) and its rules against the reference
/// data (§10.2).
@Suite struct OfficialResultTests {
    static let c1 = CandidateID("NA-248-C01")!
    static let c2 = CandidateID("NA-248-C02")!
    static let c3 = CandidateID("NA-248-C03")!
    static let file = SHA256Digest.hash(Array("station,constituency,candidate,votes\n".utf8))

    static func form45(
        votes: [CandidateID: Int] = [c1: 100, c2: 50, c3: 30], rejected: Int = 5, totalCast: Int = 185,
        station: StationCode? = Fixture.station, constituency: ConstituencyCode = Fixture.na248,
        editor: DeviceID = Fixture.editorKey.publicKey.deviceID
    ) -> OfficialResult {
        OfficialResult(
            form: .form45, constituency: constituency, station: station, votes: votes, rejected: rejected,
            totalCast: totalCast, sourceURL: "https://www.ecp.gov.pk/form45/NA-248.pdf", fileSha256: file,
            editor: editor)
    }

    /// The problems of official `data`: read, then checked against the reference data.
    static func problems(_ data: JSONValue) -> [String] {
        var errors = [FieldError]()
        let payload = Payload.decode(type: .officialPublished, data: data, errors: &errors)
        if let payload, errors.isEmpty { errors = Fixture.validator.validate(reference: payload) }
        return errors.summary
    }

    @Test func aSoundForm45ReadsBackAsWritten() throws {
        let official = Self.form45()
        let payload = try Payload.decode(type: .officialPublished, data: official.jsonValue)
        #expect(payload == .officialPublished(official))
        #expect(payload.referenceSubject == "NA-248-017")
        #expect(Fixture.validator.validate(reference: payload).isEmpty)
        #expect(EventType.officialPublished.isReference)
    }

    @Test func aSeatFormHasNoStation() throws {
        var official = Self.form45()
        official.form = .form47
        official.station = nil
        let payload = try Payload.decode(type: .officialPublished, data: official.jsonValue)
        #expect(payload.referenceSubject == "NA-248")
        #expect(Fixture.validator.validate(reference: payload).isEmpty)
        official.station = Fixture.station
        #expect(Self.problems(official.jsonValue) == ["data.station not-allowed"])
    }

    @Test func shapeProblems() {
        #expect(Self.problems(Self.form45(totalCast: 186).jsonValue) == ["data.totalCast totals-mismatch"])
        #expect(Self.problems(Self.form45(station: nil).jsonValue) == ["data.station missing-member"])
        #expect(
            Self.problems(Self.form45(constituency: Fixture.na247).jsonValue)
                == ["data.constituency not-allowed"])
        guard case .object(var data) = Self.form45().jsonValue else { return }
        data["form"] = "46"
        data["sourceUrl"] = "ftp://example.org/form.csv"
        #expect(
            Self.problems(.object(data)) == ["data.form not-allowed", "data.sourceUrl invalid-format"])
    }

    @Test func rulesAgainstTheReferenceData() {
        #expect(
            Self.problems(Self.form45(votes: [Self.c1: 100, Self.c2: 80], rejected: 5).jsonValue)
                == ["data.votes.NA-248-C03 missing-candidate"])
        #expect(
            Self.problems(
                Self.form45(votes: [Self.c1: 100, Self.c2: 50, Self.c3: 30, CandidateID("NA-248-C09")!: 0])
                    .jsonValue) == ["data.votes.NA-248-C09 unknown-candidate"])
        #expect(
            Self.problems(Self.form45(station: StationCode("NA-248-018")!).jsonValue)
                == ["data.station unknown-station"])
        #expect(
            Self.problems(
                Self.form45(
                    votes: [CandidateID("PS-84-C01")!: 10], rejected: 0, totalCast: 10, constituency: Fixture.ps84
                ).jsonValue)
                == ["data.constituency constituency-not-of-station", "data.votes.PS-84-C01 unknown-candidate"])
        #expect(
            Self.problems(
                Self.form45(votes: [Self.c1: 1000, Self.c2: 250, Self.c3: 30], totalCast: 1285).jsonValue)
                == ["data.totalCast above-registered"])
    }

    @Test func onlyAnEditorImports() {
        #expect(
            Self.problems(Self.form45(editor: Fixture.reporterKey.publicKey.deviceID).jsonValue)
                == ["data.editor role-not-allowed"])
        #expect(
            Self.problems(Self.form45(editor: Fixture.strangerKey.publicKey.deviceID).jsonValue)
                == ["data.editor unknown-device"])
    }

    /// A reporter's device cannot write one: reference data comes only from the server (`source-mismatch`).
    @Test func aReporterCannotSignOne() {
        let draft = EventDraft(
            payload: .officialPublished(Self.form45()), subject: "NA-248-017",
            time: Fixture.time("2024-02-09T10:00:00+05:00"))
        #expect(throws: EventDecodingError.self) {
            try Event.sign(
                draft, id: EventID(high: 1, low: 2), seq: 1, prevHash: .zero, key: Fixture.reporterKey)
        }
    }
}

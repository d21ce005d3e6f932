import FieldSyncClient
import FieldSyncModel
import FieldSyncTestSupport
import Foundation
import Testing

@Suite struct ObservationBuilderTests {
    typealias F = ClientFixture

    func build(
        _ kind: ObservationKind, _ edit: (inout RecordOptions) -> Void, lastStation: StationCode? = F.station.code
    )
        -> Result<ObservationDraft, RecordProblems>
    {
        var options = RecordOptions()
        edit(&options)
        return ObservationBuilder.build(kind, options, context: F.context(lastStation: lastStation))
    }

    func problems(_ result: Result<ObservationDraft, RecordProblems>) -> [String] {
        if case .failure(let failure) = result { return failure.problems.map(\.description) }
        return []
    }

    @Test func turnoutInTheReportersWords() throws {
        let draft = try build(.turnout) {
            $0.values = ["412"]
            $0.male = "230"
            $0.female = "182"
            $0.asOf = "13:00"
        }.get()
        #expect(draft.station == F.station.code)
        #expect(draft.time.text == "2024-02-08T13:05:00+05:00")
        #expect(
            draft.payload
                == .turnoutCounted(
                    TurnoutCount(
                        asOf: ObservedTime("2024-02-08T13:00:00+05:00")!, votesCast: 412, male: 230, female: 182)))
    }

    @Test func theStationIsTheLastOneUsedUnlessGiven() throws {
        let other = F.election.stations[3].code
        let draft = try build(
            .turnout,
            {
                $0.values = ["10"]
                $0.station = other.rawValue.lowercased()
            }
        ).get()
        #expect(draft.station == other)
        let problems = problems(build(.turnout, { $0.values = ["10"] }, lastStation: nil))
        #expect(
            problems == [
                "--station: no station yet: give it the first time (allowed: a polling station code such as NA-235-001)"
            ])
    }

    @Test func shortStationNumbersAreForgiven() throws {
        let draft = try build(
            .turnout,
            {
                $0.values = ["10"]
                $0.station = "na-235-2"
            }
        ).get()
        #expect(draft.station.rawValue == "NA-235-002")
    }

    @Test func aMistypedStationGetsTheNearestCodes() {
        let problems = problems(
            build(
                .turnout,
                {
                    $0.values = ["10"]
                    $0.station = "NA-253-001"
                }))
        #expect(problems.count == 1)
        #expect(problems[0].hasPrefix("--station: NA-253-001 is not a polling station of this election"))
        #expect(problems[0].contains("did you mean NA-235-001"))
    }

    @Test func everyMissingOrWrongOptionIsReportedAtOnce() {
        let problems = problems(
            build(.opened) {
                $0.at = "8.40"
                $0.materials = "complet"
            })
        #expect(
            problems == [
                "--at: \"8.40\" is not a time (allowed: \(ReporterTime.allowed))",
                "--materials: \"complet\" is not one of the choices (allowed: complete or incomplete);"
                    + " did you mean complete?",
                "--staff: missing (allowed: present or absent)",
            ])
    }

    @Test func countsAreWholeNumbers() {
        let problems = problems(
            build(.turnout) {
                $0.values = ["-3"]
                $0.male = "lots"
            })
        #expect(problems.count == 2)
        #expect(problems[0].hasPrefix("VOTES: \"-3\" is not a count"))
        #expect(problems[1].hasPrefix("--male: \"lots\" is not a count"))
    }

    @Test func agentsNamePartiesAndWhatWasSeen() throws {
        let party = F.reference.parties(in: F.seat).sorted().first!
        let draft = try build(.agents) { $0.values = ["\(party.lowercased())=Present"] }.get()
        #expect(draft.payload == .agentsObserved(PollingAgents(agents: [party: .present])))
        let problems = problems(build(.agents) { $0.values = ["\(party)=presnt", "nonsense", "PPX=absent"] })
        #expect(problems.count == 3)
        #expect(problems.contains { $0.hasPrefix("nonsense: not PARTY=PRESENCE") })
        #expect(problems.contains { $0.hasPrefix("\(party)=presnt:") && $0.contains("did you mean \(party)=present") })
        #expect(
            problems.contains {
                $0.hasPrefix("PPX=absent: no candidate of PPX stands at station") && $0.contains("PPP=absent")
            })
    }

    @Test func incidentKindDescriptionAndSeverity() throws {
        let draft = try build(.incident) {
            $0.values = ["violence", "Clash outside", "gate 2"]
            $0.severity = "high"
        }.get()
        #expect(
            draft.payload
                == .incidentObserved(Incident(kind: .violence, severity: .high, description: "Clash outside gate 2")))
        let problems = problems(build(.incident) { $0.values = ["violance"] })
        #expect(problems.count == 3)
        #expect(problems[0].contains("did you mean violence"))
        #expect(problems[1].hasPrefix("DESCRIPTION: missing"))
        #expect(problems[2].hasPrefix("--severity: missing"))
    }

    @Test func resultWithShortCandidateCodesAndTheTotalWorkedOut() throws {
        let values = F.candidates.enumerated().map { "C\(String($0.element.id.rawValue.suffix(2)))=\($0.offset * 10)" }
        let draft = try build(.result) {
            $0.seat = F.seat.rawValue
            $0.values = values
            $0.rejected = "12"
        }.get()
        guard case .resultReported(let result) = draft.payload else {
            Issue.record("not a result")
            return
        }
        #expect(result.constituency == F.seat)
        #expect(result.votes.count == F.candidates.count)
        #expect(result.totalCast == result.validVotes + 12)
        #expect(result.registeredVoters == F.station.voters.total)
    }

    @Test func resultFromACSVFileWithCommandLineValuesWinning() throws {
        let rows = F.candidates.map { "\($0.id),5" }
        let csv = "candidate,votes\n" + rows.joined(separator: "\n") + "\nrejected,3\n# checked twice\n"
        let first = F.candidates[0].id
        let draft = try build(.result) {
            $0.csv = Form45File(name: "form45.csv", text: csv)
            $0.values = ["\(first)=50"]
        }.get()
        guard case .resultReported(let result) = draft.payload else {
            Issue.record("not a result")
            return
        }
        #expect(result.votes[first] == 50)
        #expect(result.rejected == 3)
        #expect(result.totalCast == 50 + 5 * (F.candidates.count - 1) + 3)
    }

    @Test func aCSVLineThatIsNotTwoCellsIsNamed() {
        let problems = problems(build(.result) { $0.csv = Form45File(name: "f.csv", text: "NA-235-C01,1,2\n") })
        #expect(problems.first?.hasPrefix("f.csv line 1: \"NA-235-C01,1,2\" is not two cells") == true)
    }

    @Test func resultWithoutVotesSaysWhatIsNeeded() {
        let problems = problems(build(.result) { $0.rejected = "1" })
        #expect(problems.count == 1)
        #expect(
            problems[0].hasPrefix(
                "CANDIDATE=VOTES: no votes given (allowed: one CANDIDATE=VOTES for each candidate standing in NA-235"))
    }

    @Test func optionsOnlyKindsRefuseValues() {
        let problems = problems(build(.closed) { $0.values = ["17:00"] })
        #expect(
            problems == ["17:00: unexpected value: `record closed` takes only options (allowed: --at TIME, --queue N)"])
    }
}

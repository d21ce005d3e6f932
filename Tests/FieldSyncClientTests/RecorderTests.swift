import FieldSyncClient
import FieldSyncModel
import FieldSyncTestSupport
import Foundation
import Testing

/// The whole of `record` but the writing: build, sign, and the model's own validation.
@Suite struct RecorderTests {
    typealias F = ClientFixture

    func emptyLog() async throws -> LocalLog {
        try await LocalLog.open(home: F.makeHome(), key: F.key.publicKey)
    }

    func prepare(_ request: RecordRequest, log: LocalLog, now: Timestamp = F.now) -> Result<Event, RecordProblems> {
        Recorder.prepare(
            request, log: log, key: F.key, context: F.context(lastStation: log.lastStation ?? F.station.code, now: now))
    }

    func options(_ edit: (inout RecordOptions) -> Void) -> RecordOptions {
        var options = RecordOptions()
        edit(&options)
        return options
    }

    @Test func aValidObservationIsTheNextSignedEvent() async throws {
        let log = try await emptyLog()
        let event = try prepare(.observation(.turnout, options { $0.values = ["412"] }), log: log).get()
        #expect(event.seq == 1)
        #expect(event.prevHash == .zero)
        #expect(event.device == F.key.publicKey.deviceID)
        #expect(event.isSignatureValid(by: F.key.publicKey))
        #expect(event.subject == F.station.code.rawValue)
    }

    @Test func theValidatorsRulesComeBackInTheReportersWords() async throws {
        let log = try await emptyLog()
        let tooMany = F.station.voters.total + 1
        let result = prepare(
            .observation(
                .turnout,
                options {
                    $0.values = ["\(tooMany)"]
                    $0.asOf = "07:00"
                }), log: log)
        guard case .failure(let failure) = result else {
            Issue.record("accepted")
            return
        }
        let lines = failure.problems.map(\.description)
        #expect(
            lines.contains {
                $0.hasPrefix("VOTES: \(tooMany) is more than the station's \(F.station.voters.total) registered voters")
            })
        #expect(lines.contains { $0.hasPrefix("--as-of: 2024-02-08T07:00:00+05:00 is before the allowed window") })
    }

    @Test func outsideTheElectionTheTimeIsRefused() async throws {
        let log = try await emptyLog()
        let later = Timestamp(rfc3339: "2025-03-01T10:00:00+05:00")!
        let result = prepare(.observation(.turnout, options { $0.values = ["1"] }), log: log, now: later)
        guard case .failure(let failure) = result else {
            Issue.record("accepted")
            return
        }
        #expect(failure.problems.first?.field == "--time")
    }

    @Test func aResultMissingACandidateNamesTheCandidate() async throws {
        let log = try await emptyLog()
        let given = F.candidates.dropLast().map { "\($0.id)=1" }
        let result = prepare(
            .observation(
                .result,
                options {
                    $0.values = given
                    $0.rejected = "0"
                }), log: log,
            now: Timestamp(rfc3339: "2024-02-08T18:00:00+05:00")!)
        guard case .failure(let failure) = result else {
            Issue.record("accepted")
            return
        }
        let missing = F.candidates.last!.id.rawValue
        #expect(failure.problems.map(\.field) == [missing])
        #expect(failure.problems[0].description.contains("no votes given for \(missing)"))
    }

    @Test func anUnknownCandidateGetsTheNearestCode() async throws {
        let log = try await emptyLog()
        var given = F.candidates.map { "\($0.id)=1" }
        given[0] = "NA-235-C99=1"
        let result = prepare(
            .observation(
                .result,
                options {
                    $0.values = given
                    $0.rejected = "0"
                }), log: log,
            now: Timestamp(rfc3339: "2024-02-08T18:00:00+05:00")!)
        guard case .failure(let failure) = result else {
            Issue.record("accepted")
            return
        }
        let unknown = failure.problems.first { $0.field == "NA-235-C99" }
        #expect(unknown?.suggestions.isEmpty == false)
    }

    @Test func correctionsKeepWhatIsNotTyped() async throws {
        var log = try await emptyLog()
        let original = try prepare(
            .observation(
                .turnout,
                options {
                    $0.values = ["412"]
                    $0.male = "230"
                    $0.female = "182"
                    $0.asOf = "13:00"
                }),
            log: log
        ).get()
        try log.append([original])
        let correction = try prepare(
            .correction(
                event: "1", reason: "copied wrong", retract: false,
                options {
                    $0.values = ["415"]
                    $0.female = "185"
                }),
            log: log
        ).get()
        guard case .reportCorrected(let payload) = correction.payload,
            case .replacement(let replacement) = payload.change
        else {
            Issue.record("not a replacement")
            return
        }
        #expect(payload.corrects == original.id)
        #expect(
            replacement
                == .turnoutCounted(
                    TurnoutCount(
                        asOf: ObservedTime("2024-02-08T13:00:00+05:00")!, votesCast: 415, male: 230, female: 185)))
        #expect(correction.subject == original.subject)
    }

    @Test func retractionsByIdPrefix() async throws {
        var log = try await emptyLog()
        let original = try prepare(.observation(.turnout, options { $0.values = ["12"] }), log: log).get()
        try log.append([original])
        let prefix = String(original.id.description.prefix(8))
        let retraction = try prepare(
            .correction(event: prefix, reason: "wrong station", retract: true, RecordOptions()), log: log
        ).get()
        guard case .reportCorrected(let payload) = retraction.payload else {
            Issue.record("not a correction")
            return
        }
        #expect(payload.change == .retraction)
    }

    @Test func aCorrectionNeedsAReasonAndEitherValuesOrRetract() async throws {
        var log = try await emptyLog()
        try log.append([try prepare(.observation(.turnout, options { $0.values = ["12"] }), log: log).get()])
        let neither = prepare(.correction(event: "1", reason: nil, retract: false, RecordOptions()), log: log)
        guard case .failure(let failure) = neither else {
            Issue.record("accepted")
            return
        }
        #expect(failure.problems.map(\.field) == ["--reason", "--retract"])
        let unknown = prepare(.correction(event: "7", reason: "x", retract: true, RecordOptions()), log: log)
        guard case .failure(let missing) = unknown else {
            Issue.record("accepted")
            return
        }
        #expect(missing.description == "EVENT: this log has no seq 7 (allowed: a seq from 1 to 1)")
    }

    @Test func aCorrectionCannotBeCorrected() async throws {
        var log = try await emptyLog()
        try log.append([try prepare(.observation(.turnout, options { $0.values = ["12"] }), log: log).get()])
        try log.append([
            try prepare(.correction(event: "1", reason: "x", retract: true, RecordOptions()), log: log).get()
        ])
        let again = prepare(.correction(event: "2", reason: "y", retract: true, RecordOptions()), log: log)
        guard case .failure(let failure) = again else {
            Issue.record("accepted")
            return
        }
        #expect(failure.problems.first?.description.contains("cannot be corrected") == true)
    }
}

import FieldSyncModel

/// What the reporter asked `fieldsync record` for.
public enum RecordRequest: Sendable {
    /// A new observation.
    case observation(ObservationKind, RecordOptions)
    /// A correction of one of this device's events (`EVENT` as typed).
    case correction(event: String, reason: String?, retract: Bool, RecordOptions)
}

/// Turns a `record` request into this device's next event, signed and checked, ready to append.
/// Pure: nothing is written.
///
/// The event is checked by ``EventValidator`` against the cached reference data and the calendar:
/// the same code the server runs on it. Corrections are checked against the event they correct,
/// found in the log.
public enum Recorder {
    public static func prepare(
        _ request: RecordRequest, log: LocalLog, key: SigningKey, context: RecordContext
    ) -> Result<Event, RecordProblems> {
        let draft: ObservationDraft
        var target = CorrectionTarget.notLookedUp
        switch request {
        case .observation(let kind, let options):
            switch ObservationBuilder.build(kind, options, context: context) {
            case .success(let built): draft = built
            case .failure(let problems): return .failure(problems)
            }
        case .correction(let typed, let reason, let retract, let options):
            let original: Event
            switch CorrectionBuilder.target(typed, in: log.entries) {
            case .success(let found): original = found
            case .failure(let problem): return .failure(RecordProblems([problem]))
            }
            target = .found(original)
            switch CorrectionBuilder.build(
                correcting: original, reason: reason, retract: retract, options: options, context: context)
            {
            case .success(let built): draft = built
            case .failure(let problems): return .failure(problems)
            }
        }
        let seat = seat(of: draft.payload)
        let event: Event
        do {
            event = try log.sign(draft.eventDraft, key: key)
        } catch let error as EventDecodingError {
            return .failure(
                RecordProblems(error.errors.map { ReporterField.problem($0, reference: context.reference, seat: seat) })
            )
        } catch {
            return .failure(RecordProblems([RecordProblem("event", "\(error)", allowed: "")]))
        }
        let validator = EventValidator(reference: context.reference)
        let errors = validator.validate(event, correcting: target)
        guard errors.isEmpty else {
            return .failure(RecordProblems(problems(errors, reference: context.reference, seat: seat)))
        }
        return .success(event)
    }

    /// The validator's problems in the reporter's words, the candidates left out of a Form-45 on one line.
    static func problems(_ errors: [FieldError], reference: ReferenceData, seat: ConstituencyCode?) -> [RecordProblem] {
        let missing = errors.filter { $0.code == .missingCandidate }
        var problems = errors.filter { missing.count < 2 || $0.code != .missingCandidate }.map {
            ReporterField.problem($0, reference: reference, seat: seat)
        }
        if missing.count >= 2 {
            let codes = missing.map { ReporterField.name(of: $0.field) }
            problems.append(
                RecordProblem(
                    "CANDIDATE=VOTES",
                    "no votes given for \(codes.count) candidates standing in \(seat.map(\.rawValue) ?? "the seat"): "
                        + (codes.count > 8
                            ? codes.prefix(3).joined(separator: ", ") + " … " + codes.last!
                            : codes.joined(separator: ", ")),
                    allowed: "a count for every candidate standing, 0 if none"))
        }
        return problems
    }

    private static func seat(of payload: Payload) -> ConstituencyCode? {
        switch payload {
        case .resultReported(let result): result.constituency
        case .reportCorrected(let correction):
            if case .replacement(.resultReported(let result)) = correction.change { result.constituency } else { nil }
        default: nil
        }
    }
}

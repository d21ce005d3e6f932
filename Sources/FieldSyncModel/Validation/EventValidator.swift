/// Checks a well-formed ``Event`` against the reference data and the election calendar, and
/// collects every problem. Pure: the same checks run on the reporter's laptop and on the server.
///
/// What ``Event/init(json:)`` already checks (shapes, formats, counts ≥ 0, text lengths, enum
/// values, unknown or missing members, totals inside a Form-45) is not repeated here.
public struct EventValidator: Sendable {
    public var reference: ReferenceData

    public init(reference: ReferenceData) {
        self.reference = reference
    }

    /// The calendar of the election the reference data defines; nil before one is defined, when no
    /// observation is accepted.
    public var calendar: ElectionCalendar? { reference.election?.calendar }

    /// Every problem of `event` with the reference data and the calendar; empty if none.
    /// For a correction, `target` is what the caller found under its `corrects` id.
    public func validate(_ event: Event, correcting target: CorrectionTarget = .notLookedUp) -> [FieldError] {
        var errors = [FieldError]()
        checkAuthor(of: event, into: &errors)
        if event.type.isReference {
            checkReference(event.payload, into: &errors)
        } else {
            checkObservation(event, target: target, into: &errors)
        }
        return errors
    }

    /// Every problem of a payload the server is about to make (an assignment, a review, a revocation)
    /// with the reference data, with fields named from `data`; empty if none.
    public func validate(reference payload: Payload) -> [FieldError] {
        var errors = [FieldError]()
        checkReference(payload, into: &errors)
        return errors
    }

    /// Whether the event is signed by the key its device has in the reference data (the server's
    /// identity is signed by the key it announces); nil if it is.
    ///
    /// `checkedKey` is a key the signature was already found valid by (checked ahead, on another core):
    /// when it is the device's key, the signature is not checked again.
    public func verifySignature(of event: Event, checkedKey: PublicKey? = nil) -> FieldError? {
        guard let key = Self.signingKey(of: event, in: reference) else {
            return FieldError(
                field: "source", code: .unknownDevice, problem: "no key is known for \(event.device)",
                allowed: "a device enrolled in the reference data")
        }
        guard key == checkedKey || event.isSignatureValid(by: key) else {
            return FieldError(
                field: "signature", code: .badSignature,
                problem: "not a valid Ed25519 signature of the event hash \(event.hash.hex)",
                allowed: "the signature by the key of \(event.device)")
        }
        return nil
    }

    /// The key `event` must be signed by in `reference`: its device's, or for the server's identity the
    /// key it announces; nil when none is known.
    public static func signingKey(of event: Event, in reference: ReferenceData) -> PublicKey? {
        if case .serverIdentified(let identity) = event.payload { return identity.publicKey }
        return reference.publicKey(of: event.device)
    }

    // MARK: Who made it

    private func checkAuthor(of event: Event, into errors: inout [FieldError]) {
        if event.device.isServer {
            if reference.server == nil && event.type != .serverIdentified {
                errors.append(
                    FieldError(
                        field: "type", code: .unknownDevice, problem: "the log has no server identity yet",
                        allowed: "\(EventType.serverIdentified) as the server's first event"))
            }
            return
        }
        guard let device = reference.devices[event.device] else {
            errors.append(
                FieldError(
                    field: "source", code: .unknownDevice, problem: "device \(event.device) is not enrolled",
                    allowed: "a device enrolled by \(EventType.deviceEnrolled)"))
            return
        }
        if let reason = device.revocationReason {
            errors.append(
                FieldError(
                    field: "source", code: .deviceRevoked, problem: "device \(event.device) was revoked: \(reason)",
                    allowed: "a device that is not revoked"))
        }
        if device.role != .reporter {
            errors.append(
                FieldError(
                    field: "source", code: .roleNotAllowed,
                    problem: "device \(event.device) is enrolled as \(device.role.rawValue)",
                    allowed: "a device enrolled as reporter"))
        }
    }

    // MARK: Reference data

    private func checkReference(_ payload: Payload, into errors: inout [FieldError]) {
        switch payload {
        case .serverIdentified(let identity):
            if let server = reference.server, server.publicKey != identity.publicKey {
                errors.append(
                    FieldError(
                        field: "data.publicKey", code: .alreadyDefined,
                        problem: "the log already has another server key",
                        allowed: server.publicKey.base64URL))
            }
        case .electionDefined(let election):
            if let defined = reference.election, defined.id != election.id {
                errors.append(
                    FieldError(
                        field: "data.id", code: .alreadyDefined,
                        problem: "the log already defines the election \(defined.id)", allowed: "\"\(defined.id)\""))
            }
        case .constituencyDefined(let constituency):
            if let election = reference.election, election.assemblies[constituency.code.prefix] == nil {
                errors.append(
                    FieldError(
                        field: "data.code", code: .unknownConstituency,
                        problem:
                            "\(constituency.code) is a seat of an assembly the election \(election.id) does not elect",
                        allowed: election.assemblies.keys.sorted().map { $0.rawValue + "-<n>" }.joined(
                            separator: " or "))
                )
            }
        case .stationDefined(let station):
            let national = reference.constituencies[station.national]
            let provincial = station.provincial.flatMap { reference.constituencies[$0] }
            if national == nil { errors.append(unknownConstituency(station.national, field: "data.national")) }
            if let code = station.provincial, provincial == nil {
                errors.append(unknownConstituency(code, field: "data.provincial"))
            }
            if let national, let provincial, national.district != provincial.district {
                errors.append(
                    FieldError(
                        field: "data.provincial", code: .districtMismatch,
                        problem:
                            "\(provincial.code) is in \(provincial.district), \(national.code) in \(national.district)",
                        allowed: "a provincial assembly seat of \(national.district)"))
            }
        case .candidateDefined(let candidate):
            if reference.constituencies[candidate.constituency] == nil {
                errors.append(unknownConstituency(candidate.constituency, field: "data.constituency"))
            }
        case .deviceEnrolled(let enrollment):
            if let existing = reference.devices[enrollment.device], let reason = existing.revocationReason {
                errors.append(
                    FieldError(
                        field: "data.device", code: .deviceRevoked,
                        problem: "device \(enrollment.device) was revoked (\(reason)) and stays revoked",
                        allowed: "a new device key"))
            }
        case .deviceRevoked(let revocation):
            if let existing = reference.devices[revocation.device] {
                if existing.isRevoked {
                    errors.append(
                        FieldError(
                            field: "data.device", code: .deviceRevoked,
                            problem: "device \(revocation.device) is already revoked",
                            allowed: "a device in use"))
                }
            } else {
                errors.append(
                    FieldError(
                        field: "data.device", code: .unknownDevice,
                        problem: "device \(revocation.device) is not enrolled",
                        allowed: "an enrolled device"))
            }
        case .deviceAssigned(let assignment):
            checkAssignment(assignment, into: &errors)
        case .reportReviewed(let review):
            checkReview(review, into: &errors)
        case .officialPublished(let official):
            checkOfficial(official, into: &errors)
        default:
            break
        }
    }

    private func checkAssignment(_ assignment: StationAssignment, into errors: inout [FieldError]) {
        if let problem = reporterProblem(assignment.device, field: "data.device", revokedAllowed: false) {
            errors.append(problem)
        }
        errors += reference.unknownPlaces(
            stations: assignment.stations, constituencies: assignment.constituencies, at: "data.")
    }

    private func checkReview(_ review: ReportReview, into errors: inout [FieldError]) {
        let station = reference.stations[review.station]
        if station == nil { errors.append(ReferenceData.unknownStation(review.station, field: "data.station")) }
        if let device = review.device,
            let problem = reporterProblem(device, field: "data.device", revokedAllowed: true)
        {
            errors.append(problem)
        }
        if let seat = review.constituency, let station, !station.constituencies.contains(seat) {
            errors.append(
                FieldError(
                    field: "data.constituency", code: .constituencyNotOfStation,
                    problem: "\(seat) is not a seat of \(station.code)",
                    allowed: station.seatsListed))
        }
        errors += editorProblems(review.editor)
    }

    /// The problems with `device` as the editor a review or an official import names: enrolled as editor or
    /// admin, not revoked.
    private func editorProblems(_ device: DeviceID) -> [FieldError] {
        guard let editor = reference.devices[device] else {
            return [
                FieldError(
                    field: "data.editor", code: .unknownDevice, problem: "device \(device) is not enrolled",
                    allowed: "an enrolled editor's device")
            ]
        }
        var errors = [FieldError]()
        if editor.role != .editor && editor.role != .admin {
            errors.append(
                FieldError(
                    field: "data.editor", code: .roleNotAllowed,
                    problem: "device \(device) is enrolled as \(editor.role.rawValue)",
                    allowed: "a device enrolled as editor or admin"))
        }
        if let reason = editor.revocationReason {
            errors.append(
                FieldError(
                    field: "data.editor", code: .deviceRevoked, problem: "device \(device) was revoked: \(reason)",
                    allowed: "an editor's device that is not revoked"))
        }
        return errors
    }

    private func checkOfficial(_ official: OfficialResult, into errors: inout [FieldError]) {
        let station = official.station.flatMap { reference.stations[$0] }
        if let code = official.station, station == nil {
            errors.append(ReferenceData.unknownStation(code, field: "data.station"))
        }
        checkCount(
            official.constituency, votes: official.votes, totalCast: official.totalCast, at: "data", station: station,
            into: &errors)
        errors += editorProblems(official.editor)
    }

    /// The problem with `device` as a reporter's device that an assignment or a review names, if any.
    private func reporterProblem(_ device: DeviceID, field: String, revokedAllowed: Bool) -> FieldError? {
        guard let enrolled = reference.devices[device] else {
            return FieldError(
                field: field, code: .unknownDevice, problem: "device \(device) is not enrolled",
                allowed: "an enrolled reporter's device")
        }
        if enrolled.role != .reporter {
            return FieldError(
                field: field, code: .roleNotAllowed,
                problem: "device \(device) is enrolled as \(enrolled.role.rawValue)",
                allowed: "a device enrolled as reporter")
        }
        if !revokedAllowed, let reason = enrolled.revocationReason {
            return FieldError(
                field: field, code: .deviceRevoked, problem: "device \(device) was revoked: \(reason)",
                allowed: "a device in use")
        }
        return nil
    }

    private func unknownConstituency(_ code: ConstituencyCode, field: String) -> FieldError {
        ReferenceData.unknownConstituency(code, field: field)
    }

    // MARK: Observations

    private func checkObservation(_ event: Event, target: CorrectionTarget, into errors: inout [FieldError]) {
        let station = event.station.flatMap { reference.stations[$0] }
        if station == nil {
            errors.append(
                FieldError(
                    field: "subject", code: .unknownStation, problem: "\(event.subject) is not a known polling station",
                    allowed: "a station defined in the reference data"))
        }
        guard let calendar else {
            errors.append(
                FieldError(
                    field: "time", code: .outsideWindow, problem: "the reference data defines no election yet",
                    allowed: "an observation after the \(EventType.electionDefined) event"))
            return
        }
        let until = event.type == .reportCorrected ? calendar.correctionsUntil : calendar.observationsUntil
        checkTime(
            event.time.instant, field: "time", from: calendar.observationsFrom, until: until, calendar: calendar,
            into: &errors)
        if event.type == .resultReported && event.time.instant < calendar.pollingCloses {
            errors.append(
                FieldError(
                    field: "time", code: .outsideWindow,
                    problem: "\(event.time) is before polling closes, when counting starts",
                    allowed: calendar.range(calendar.pollingCloses, calendar.observationsUntil)))
        }
        if case .reportCorrected(let correction) = event.payload {
            checkCorrection(
                correction, of: event, target: target, station: station, calendar: calendar, into: &errors)
        } else {
            checkPayload(
                event.payload, at: "data", eventTime: event.time, station: station, calendar: calendar, into: &errors)
        }
    }

    private func checkCorrection(
        _ correction: Correction, of event: Event, target: CorrectionTarget, station: PollingStation?,
        calendar: ElectionCalendar, into errors: inout [FieldError]
    ) {
        if case .replacement(let payload) = correction.change {
            checkPayload(
                payload, at: "data.replacement.data", eventTime: event.time, station: station, calendar: calendar,
                into: &errors)
        }
        switch target {
        case .notLookedUp:
            return
        case .notFound:
            errors.append(
                FieldError(
                    field: "data.corrects", code: .unknownEvent, problem: "no event \(correction.corrects) is known",
                    allowed: "the id of an earlier observation of the same device"))
        case .found(let original):
            if original.device != event.device {
                errors.append(
                    FieldError(
                        field: "data.corrects", code: .sourceMismatch,
                        problem: "event \(original.id) was made by device \(original.device)",
                        allowed: "an earlier event of the same device, \(event.device)"))
            } else if original.seq >= event.seq {
                errors.append(
                    FieldError(
                        field: "data.corrects", code: .notCorrectable,
                        problem:
                            "event \(original.id) (seq \(original.seq)) is not earlier than this one (seq \(event.seq))",
                        allowed: "an earlier event of the same device"))
            }
            if !original.type.isCorrectable {
                errors.append(
                    FieldError(
                        field: "data.corrects", code: .notCorrectable,
                        problem: "event \(original.id) is a \(original.type), which cannot be corrected",
                        allowed: "an observation other than a correction"))
            }
            if original.subject != event.subject {
                errors.append(
                    FieldError(
                        field: "subject", code: .subjectMismatch,
                        problem: "the corrected event is about \(original.subject), not \(event.subject)",
                        allowed: original.subject))
            }
            if case .replacement(let payload) = correction.change, payload.type != original.type,
                original.type.isCorrectable
            {
                errors.append(
                    FieldError(
                        field: "data.replacement.type", code: .typeMismatch,
                        problem: "\(payload.type) cannot replace a \(original.type)", allowed: original.type.rawValue))
            }
        }
    }

    /// The checks of an observation's data against its station and the calendar.
    private func checkPayload(
        _ payload: Payload, at path: String, eventTime: ObservedTime, station: PollingStation?,
        calendar: ElectionCalendar, into errors: inout [FieldError]
    ) {
        func time(_ time: ObservedTime?, _ name: String, from: Timestamp, until: Timestamp) {
            guard let time else { return }
            checkTime(
                time.instant, field: path + "." + name, from: from, until: until, calendar: calendar, into: &errors)
            if time.instant > eventTime.instant {
                errors.append(
                    FieldError(
                        field: path + "." + name, code: .afterEventTime,
                        problem: "\(time) is after the event's time \(eventTime)",
                        allowed: "a time no later than the event's time"))
            }
        }
        func atMost(_ value: Int?, _ name: String, _ limit: Int, _ what: String) {
            guard let value, value > limit else { return }
            errors.append(
                FieldError(
                    field: path + "." + name, code: .aboveRegistered,
                    problem: "\(value) is more than the station's \(limit) \(what)", allowed: "at most \(limit)"))
        }
        switch payload {
        case .stationOpened(let opened):
            time(opened.openedAt, "openedAt", from: calendar.observationsFrom, until: calendar.pollingCloses)
        case .stationClosed(let closed):
            time(closed.closedAt, "closedAt", from: calendar.pollingOpens, until: calendar.observationsUntil)
            if let station { atMost(closed.votersInQueue, "votersInQueue", station.voters.total, "registered voters") }
        case .agentsObserved(let agents):
            guard let station else { return }
            let parties = reference.parties(at: station)
            for party in agents.agents.keys.sorted() where !parties.contains(party) {
                errors.append(
                    FieldError(
                        field: path + ".agents." + party, code: .unknownParty,
                        problem: "no candidate of \(party) stands at station \(station.code)",
                        allowed: parties.isEmpty
                            ? "no party (no candidates are known here)" : parties.sorted().joined(separator: ", ")))
            }
        case .turnoutCounted(let turnout):
            time(turnout.asOf, "asOf", from: calendar.pollingOpens, until: calendar.observationsUntil)
            guard let station else { return }
            atMost(turnout.votesCast, "votesCast", station.voters.total, "registered voters")
            atMost(turnout.male, "male", station.voters.male, "registered male voters")
            atMost(turnout.female, "female", station.voters.female, "registered female voters")
        case .incidentObserved(let incident):
            time(incident.occurredAt, "occurredAt", from: calendar.observationsFrom, until: calendar.observationsUntil)
        case .resultReported(let result):
            checkCount(
                result.constituency, votes: result.votes, totalCast: result.totalCast, at: path, station: station,
                into: &errors)
        default:
            break
        }
    }

    /// The checks of a station's count for one seat (a reporter's or the commission's Form-45; `station` nil
    /// for a seat's form) at `path`: the seat is the station's, the ballots no more than its voters, the votes
    /// those of the seat's candidates.
    private func checkCount(
        _ constituency: ConstituencyCode, votes: [CandidateID: Int], totalCast: Int, at path: String,
        station: PollingStation?, into errors: inout [FieldError]
    ) {
        if let station {
            if !station.constituencies.contains(constituency) {
                errors.append(
                    FieldError(
                        field: path + ".constituency", code: .constituencyNotOfStation,
                        problem: "station \(station.code) does not vote in \(constituency)",
                        allowed: station.seatsListed))
            }
            if totalCast > station.voters.total {
                errors.append(
                    FieldError(
                        field: path + ".totalCast", code: .aboveRegistered,
                        problem: "\(totalCast) is more than the station's \(station.voters.total) registered voters",
                        allowed: "at most \(station.voters.total)"))
            }
        }
        checkVotes(votes, in: constituency, at: path, into: &errors)
    }

    /// The checks of a count's seat and `votes` (at `path`): the seat is defined, every candidate standing in
    /// it has a member, and no one else.
    private func checkVotes(
        _ votes: [CandidateID: Int], in constituency: ConstituencyCode, at path: String, into errors: inout [FieldError]
    ) {
        if reference.constituencies[constituency] == nil {
            errors.append(unknownConstituency(constituency, field: path + ".constituency"))
            return
        }
        let standing = reference.candidatesByConstituency[constituency] ?? []
        for candidate in votes.keys.sorted() {
            let field = path + ".votes." + candidate.rawValue
            guard let known = reference.candidates[candidate] else {
                errors.append(
                    FieldError(
                        field: field, code: .unknownCandidate, problem: "\(candidate) is not a known candidate",
                        allowed: "the candidates standing in \(constituency)"))
                continue
            }
            if known.constituency != constituency {
                errors.append(
                    FieldError(
                        field: field, code: .candidateNotStanding,
                        problem: "\(candidate) stands in \(known.constituency), not in \(constituency)",
                        allowed: "the candidates standing in \(constituency)"))
            }
        }
        for candidate in standing where votes[candidate] == nil {
            errors.append(
                FieldError(
                    field: path + ".votes." + candidate.rawValue, code: .missingCandidate,
                    problem: "no votes given for \(candidate), who stands in \(constituency)",
                    allowed: "a count for every candidate standing, 0 if none"))
        }
    }

    private func checkTime(
        _ time: Timestamp, field: String, from: Timestamp, until: Timestamp, calendar: ElectionCalendar,
        into errors: inout [FieldError]
    ) {
        guard time < from || time > until else { return }
        errors.append(
            FieldError(
                field: field, code: .outsideWindow,
                problem: "\(calendar.show(time)) is \(time < from ? "before" : "after") the allowed window",
                allowed: calendar.range(from, until)))
    }
}

import FieldSyncModel
import Foundation

extension ObservationBuilder {
    /// `record result [--seat SEAT] CANDIDATE=VOTES … --rejected N [--total N] [--registered N]
    /// [--csv FILE] [--photo FILE]`: the Form-45 of the station for one of its two seats.
    ///
    /// The seat is `--seat`, else the one the candidate codes name. `--total` defaults to the votes plus
    /// the rejected ballots (when given, it must be that sum), `--registered` to the station's
    /// registered voters. Candidates may be written in full (`NA-235-C01`) or, with the seat known,
    /// short (`C01`).
    mutating func result(_ options: RecordOptions, base: Payload?, station: PollingStation?) -> Payload? {
        let earlier: Form45Result? = if case .resultReported(let result)? = base { result } else { nil }
        var csv = Form45CSV()
        if let file = options.csv {
            switch Form45CSV.parse(file.text, name: file.name) {
            case .success(let parsed): csv = parsed
            case .failure(let failure): problems += failure.problems
            }
        }
        let pairAllowed = "CANDIDATE=VOTES such as NA-235-C01=210"
        let typed =
            csv.votes.map {
                (field: "\(options.csv?.name ?? "csv") line \($0.line)", candidate: $0.candidate, votes: $0.votes)
            }
            + pairs(options.values, shape: "CANDIDATE=VOTES", allowed: pairAllowed).map {
                (field: "\($0.0)=\($0.1)", candidate: $0.0, votes: $0.1)
            }

        // The seat: --seat, else the earlier result's, else the one the candidates' codes name.
        var seat = earlier?.constituency
        if let typedSeat = options.seat {
            seat = ConstituencyCode(typedSeat.uppercased())
            if seat == nil {
                let seats = station.map { $0.constituencies.map(\.rawValue) } ?? []
                fail(
                    "--seat", "\"\(typedSeat)\" is not a seat code",
                    allowed: seats.isEmpty ? ConstituencyCode.allowed : RecordProblem.list(seats),
                    suggestions: Suggestions.nearest(to: typedSeat, among: seats, limit: 1))
                return nil
            }
        }
        if seat == nil {
            let named = Set(typed.compactMap { CandidateID($0.candidate.uppercased())?.constituency })
            if named.count == 1 {
                seat = named.first
            } else if named.count > 1 {
                fail(
                    "--seat",
                    "the candidates belong to \(RecordProblem.list(named.sorted().map(\.rawValue))): say which seat",
                    allowed: "one Form-45 per seat")
                return nil
            } else if let station {
                seat = station.national
            }
        }
        guard let seat else { return nil }

        var votes = earlier?.votes ?? [:]
        if earlier == nil && typed.isEmpty {
            let standing = context.reference.candidates(in: seat).map(\.id.rawValue)
            fail(
                "CANDIDATE=VOTES", "no votes given",
                allowed: "one CANDIDATE=VOTES for each candidate standing in \(seat)"
                    + (standing.isEmpty ? "" : " (\(standing.first!) … \(standing.last!))") + ", or --csv FILE")
        }
        for entry in typed {
            guard let candidate = Self.candidateID(entry.candidate, seat: seat) else {
                let known = context.reference.candidates(in: seat).map(\.id.rawValue)
                fail(
                    entry.field, "\"\(entry.candidate)\" is not a candidate code",
                    allowed: "a code such as \(seat)-C01",
                    suggestions: Suggestions.nearest(to: entry.candidate, among: known))
                continue
            }
            if let count = count(
                entry.votes, field: entry.field, default: nil, allowed: "CANDIDATE=VOTES with votes 0 or more")
            {
                votes[candidate] = count
            }
        }
        let rejected = count(
            options.rejected ?? csv.rejected, field: "--rejected", default: earlier?.rejected,
            allowed: "the rejected ballots on the Form-45, 0 if none")
        var registered = earlier?.registeredVoters ?? station?.voters.total
        if let typedRegistered = options.registered ?? csv.registered {
            registered = count(
                typedRegistered, field: "--registered", default: nil,
                allowed: "the registered voters printed on the Form-45")
        }
        var total: Int?
        if let typedTotal = options.total ?? csv.total {
            total = count(
                typedTotal, field: "--total", default: nil, allowed: "the ballots cast printed on the Form-45")
        } else if let rejected {
            total = votes.values.reduce(0, +) + rejected
        }
        guard let rejected, let registered, let total, !votes.isEmpty else { return nil }
        var result = Form45Result(
            constituency: seat, registeredVoters: registered, votes: votes, rejected: rejected, totalCast: total)
        result.photo = options.photo ?? earlier?.photo
        return .resultReported(result)
    }

    /// A candidate code as typed: in full (any case), or `C01` / `c1` within `seat`.
    static func candidateID(_ typed: String, seat: ConstituencyCode) -> CandidateID? {
        let text = typed.trimmingCharacters(in: .whitespaces).uppercased()
        if let id = CandidateID(text) { return id }
        let short = text.hasPrefix(seat.rawValue + "-") ? String(text.dropFirst(seat.rawValue.count + 1)) : text
        guard short.hasPrefix("C"), let number = Int(short.dropFirst()), short.dropFirst().allSatisfy(\.isASCIIDigit),
            (0...999).contains(number)
        else { return nil }
        return CandidateID(constituency: seat, number: number)
    }
}

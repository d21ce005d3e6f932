import FieldSyncModel

/// The flags of one station, each derived from its facts alone.
extension StationDerivation {
    private var scope: FlagScope { .station(code) }

    /// Every device's effective Form-45: totals that do not add up, totals above the registered
    /// voters, a seat the station does not vote in.
    func flagResults(_ contests: [ContestResult], into flags: inout [TallyFlag]) {
        for contest in contests {
            if let station, !station.constituencies.contains(contest.constituency), !contest.reports.isEmpty {
                flags.append(
                    TallyFlag(
                        code: .form45NotOfStation, scope: scope,
                        message: "Form-45 for \(contest.constituency), a seat station \(code) does not vote in",
                        events: contest.events))
            }
            for report in contest.reports {
                flagTotals(report, constituency: contest.constituency, into: &flags)
            }
        }
    }

    func flagTotals(_ report: Form45Report, constituency: ConstituencyCode, into flags: inout [TallyFlag]) {
        let figures = report.figures
        let what = "Form-45 for \(constituency) from device \(report.device)"
        if figures.validVotes + figures.rejected != figures.totalCast {
            flags.append(
                TallyFlag(
                    code: .form45TotalsMismatch, scope: scope,
                    message: "\(what): candidates' votes \(figures.validVotes) + rejected \(figures.rejected) "
                        + "is not the total cast \(figures.totalCast)",
                    events: report.events))
        }
        let registered = station?.voters.total
        if figures.totalCast > report.registeredVoters {
            flags.append(
                TallyFlag(
                    code: .form45AboveRegistered, scope: scope,
                    message: "\(what): total cast \(figures.totalCast) is above the \(report.registeredVoters) "
                        + "registered voters printed on the form",
                    events: report.events))
        } else if let registered, figures.totalCast > registered {
            flags.append(
                TallyFlag(
                    code: .form45AboveRegistered, scope: scope,
                    message: "\(what): total cast \(figures.totalCast) is above the station's \(registered) "
                        + "registered voters",
                    events: report.events))
        }
    }

    /// Counts above the registered voters, and counts lower than a count of an earlier time.
    /// `history` is in order (time the count refers to, then event id).
    func flagTurnout(_ history: [TurnoutReading], into flags: inout [TallyFlag]) {
        if let registered = station?.voters.total {
            for reading in history where reading.votesCast > registered {
                flags.append(
                    TallyFlag(
                        code: .turnoutOver100, scope: scope,
                        message:
                            "turnout count \(reading.votesCast) as of \(reading.asOf) from device \(reading.device) "
                            + "is above the station's \(registered) registered voters",
                        events: reading.events))
            }
        }
        // The highest count among those of strictly earlier times; counts of the same time are
        // compared with the ones before them, not with each other.
        var highest: TurnoutReading?
        var index = 0
        while index < history.count {
            let instant = history[index].asOf.instant
            var end = index
            while end < history.count && history[end].asOf.instant == instant { end += 1 }
            if let highest {
                for reading in history[index..<end] where reading.votesCast < highest.votesCast {
                    flags.append(
                        TallyFlag(
                            code: .turnoutDecreased, scope: scope,
                            message: "turnout count \(reading.votesCast) as of \(reading.asOf) from device "
                                + "\(reading.device) is lower than \(highest.votesCast) as of \(highest.asOf)",
                            events: reading.events + highest.events))
                }
            }
            for reading in history[index..<end] where reading.votesCast > (highest?.votesCast ?? -1) {
                highest = reading
            }
            index = end
        }
    }

    /// A station that closed while one of its seats has no Form-45.
    func flagClosing(_ closing: StationClosing?, contests: [ContestResult], into flags: inout [TallyFlag]) {
        guard let closing, let station else { return }
        let missing = station.constituencies.filter { seat in
            (contests.first { $0.constituency == seat }?.status ?? .unreported) == .unreported
        }
        guard !missing.isEmpty else { return }
        flags.append(
            TallyFlag(
                code: .closedWithoutResult, scope: scope,
                message: "closed at \(closing.closedAt) with no Form-45 for "
                    + missing.map(\.rawValue).joined(separator: " and "),
                events: closing.events))
    }

    /// Every incident of kind `form45-refused`.
    func flagRefusals(_ incidents: [IncidentReport], into flags: inout [TallyFlag]) {
        for report in incidents where report.incident.kind == .form45Refused {
            flags.append(
                TallyFlag(
                    code: .form45Refused, scope: scope,
                    message: "Form-45 refused, reported by device \(report.device) at \(report.time)",
                    events: report.events))
        }
    }

    /// Every correction that could not apply.
    func flagCorrections(_ corrections: [CorrectionReport], into flags: inout [TallyFlag]) {
        for correction in corrections {
            guard case .notApplied(let problem) = correction.outcome else { continue }
            let target = facts.targets[correction.corrects] == nil ? [] : [correction.corrects]
            flags.append(
                TallyFlag(
                    code: .correctionNotApplied, scope: scope,
                    message: "correction from device \(correction.device) of event \(correction.corrects) "
                        + "not applied: \(problem)",
                    events: [correction.event] + target))
        }
    }

    /// Every device whose observations are held because it is not assigned to the station.
    func flagHeld(_ held: [HeldReport], into flags: inout [TallyFlag]) {
        for report in held where report.reason == .unassigned {
            let results = report.results.map(\.constituency.rawValue)
            flags.append(
                TallyFlag(
                    code: .reportHeld, scope: scope,
                    message: "\(report.events.count) events from device \(report.device), which is not assigned to "
                        + "station \(code), are held for review"
                        + (results.isEmpty ? "" : ", with a Form-45 for " + results.joined(separator: " and ")),
                    events: report.events))
        }
    }

    /// Every seat whose latest verification no longer matches the reports that count.
    func flagVerifications(_ contests: [ContestResult], into flags: inout [TallyFlag]) {
        for contest in contests {
            guard let review = contest.outdatedVerification else { continue }
            flags.append(
                TallyFlag(
                    code: .verificationOutdated, scope: scope,
                    message: "the verification of the \(contest.constituency) result no longer matches its reports "
                        + "(now \(contest.status.rawValue))",
                    events: [review] + contest.events))
        }
    }
}

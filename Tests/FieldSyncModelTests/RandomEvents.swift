@testable import FieldSyncModel

/// Random, well-formed observations for property tests.
enum RandomEvents {
    static func text(random: inout SplitMix64, maxLength: Int) -> String {
        let length = 1 + random.next(below: maxLength)
        var scalars = String.UnicodeScalarView()
        let pool: [Unicode.Scalar] = [
            "a", "Z", " ", "\"", "\\", "/", "\u{E9}", "\u{0628}", "\u{20AC}", "\u{1F600}", "\n", "\t",
        ]
        for _ in 0..<length { scalars.append(random.pick(pool)) }
        return String(scalars)
    }

    static func time(random: inout SplitMix64) -> ObservedTime {
        let base = Timestamp(rfc3339: "2024-02-08T03:00:00Z")!
        let instant = base.adding(seconds: Int64(random.next(below: 12 * 3600)))
        let offset = random.pick([0, 300, -60, 330])
        return ObservedTime(
            Timestamp(microseconds: instant.microseconds + Int64(random.next(below: 3)) * 1000), offsetMinutes: offset)
    }

    static func payload(random: inout SplitMix64) -> Payload {
        switch random.next(below: 7) {
        case 0:
            return .stationOpened(
                StationOpened(
                    openedAt: time(random: &random), materialsComplete: random.chance(0.5),
                    staffPresent: random.chance(0.5)))
        case 1:
            return .stationClosed(
                StationClosed(
                    closedAt: time(random: &random), votersInQueue: random.chance(0.5) ? random.next(below: 500) : nil))
        case 2:
            var agents = [String: AgentPresence]()
            for party in KarachiFacts.parties where random.chance(0.5) {
                agents[party] = random.pick(AgentPresence.allCases)
            }
            agents["PPP"] = .present
            return .agentsObserved(PollingAgents(agents: agents))
        case 3:
            let male = random.next(below: 400)
            let female = random.next(below: 400)
            return .turnoutCounted(
                TurnoutCount(
                    asOf: time(random: &random), votesCast: male + female + random.next(below: 3),
                    male: random.chance(0.5) ? male : nil, female: random.chance(0.5) ? female : nil))
        case 4:
            return .incidentObserved(
                Incident(
                    kind: random.pick(IncidentKind.allCases), severity: random.pick(Severity.allCases),
                    description: text(random: &random, maxLength: 300),
                    occurredAt: random.chance(0.5) ? time(random: &random) : nil))
        case 5:
            var votes = [CandidateID: Int]()
            for number in 1...(1 + random.next(below: 30)) {
                votes[CandidateID(constituency: Fixture.na248, number: number)] = random.next(below: 300)
            }
            let rejected = random.next(below: 40)
            let total = votes.values.reduce(0, +) + rejected
            return .resultReported(
                Form45Result(
                    constituency: Fixture.na248, registeredVoters: total + random.next(below: 1000), votes: votes,
                    rejected: rejected, totalCast: total,
                    photoSha256: random.chance(0.5) ? SHA256Digest.hash([UInt8(random.next(below: 256))]) : nil))
        default:
            let change: Correction.Change =
                random.chance(0.5) ? .retraction : .replacement(payload(random: &random).correctable(random: &random))
            return .reportCorrected(
                Correction(
                    corrects: EventID(high: random.next(), low: random.next()),
                    reason: text(random: &random, maxLength: 100),
                    change: change))
        }
    }

    static func draft(random: inout SplitMix64) -> EventDraft {
        let station = StationCode(national: Fixture.na248, number: 1 + random.next(below: 999))
        return EventDraft(payload: payload(random: &random), subject: station.rawValue, time: time(random: &random))
    }
}

extension Payload {
    /// This payload, or a turnout count in place of a correction (corrections do not nest).
    func correctable(random: inout SplitMix64) -> Payload {
        type.isCorrectable
            ? self : .turnoutCounted(TurnoutCount(asOf: RandomEvents.time(random: &random), votesCast: 1))
    }
}

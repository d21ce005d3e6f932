import FieldSyncModel
import FieldSyncTally
import Foundation

/// `Schema/vectors/tallies.json`: the documents the fold makes (PROTOCOL.md §13), as canonical bytes: every
/// station, seat, district and the city. Of `export.ndjson`, whole and as of two cutoffs; and of a log that
/// raises the flags a valid log can raise: the reference part of `export.ndjson` followed by the events of
/// ``flagEvents``, whole and as observed by 13:45.
struct TallyVectors {
    /// A log to fold: the first `base` lines of export.ndjson, then `lines`, with a cutoff or none.
    struct Case {
        var name: String
        var about: String
        var base: Int
        var lines: [StoredEvent] = []
        var cutoff: TallyCutoff?

        func events(of log: [StoredEvent]) -> [StoredEvent] { Array(log.prefix(base)) + lines }
    }

    let log: [StoredEvent]
    let counting: CountingVectors

    init() throws {
        let text = try String(
            contentsOf: CountingVectors.folder.appendingPathComponent("export.ndjson"), encoding: .utf8)
        log = try text.split(separator: "\n").map { try StoredEvent(line: Array($0.utf8)) }
        counting = try CountingVectors()
    }

    var cases: [Case] {
        let beforeCorrection = log.firstIndex { $0.event.type == .reportCorrected }!
        let flags = counting.stored(flagEvents)
        let official = counting.stored(officialSeatEvents)
        return [
            Case(name: "whole-log", about: "every line of export.ndjson", base: log.count),
            Case(
                name: "before-the-correction",
                about: "the lines before reporter-1's correction: its Form-45 as first reported",
                base: beforeCorrection),
            Case(
                name: "observed-by-20-05",
                about: "every line, as observed by 2024-02-08T20:05:00+05:00: the correction (20:10), the "
                    + "retraction and the revocation (the next day) are cut; the verification (21:00) is kept, "
                    + "as every review is, and no longer matches the NA-248 result",
                base: log.count, cutoff: .observedAtOrBefore(Timestamp(rfc3339: "2024-02-08T20:05:00+05:00")!)),
            Case(
                name: "flags",
                about: "the reference part of export.ndjson, then a second station, turnout that goes down, a "
                    + "refused Form-45, a closing without the PS-125 Form-45, disputed NA-248 Form-45s at NA-248-017, "
                    + "a counted one at NA-248-018 with a margin of 5 and 10 rejected, an unassigned device's "
                    + "reports, and then both stations redefined (NA-248-017 with 400 registered voters, NA-248-018 "
                    + "voting in PS-126): every flag a valid log can raise but correction-not-applied",
                base: counting.base.count, lines: flags),
            Case(
                name: "flags-observed-by-13-45",
                about: "the same, as observed by 2024-02-08T13:45:00+05:00: reporter-1's correction made at 13:30 "
                    + "names a count it observed at 14:00, which is cut, so the correction does not apply",
                base: counting.base.count, lines: flags,
                cutoff: .observedAtOrBefore(Timestamp(rfc3339: "2024-02-08T13:45:00+05:00")!)),
            Case(
                name: "official-seats",
                about: "the reference part of export.ndjson, then reporter-1's NA-248 Form-45 at NA-248-017 and the "
                    + "commission's equal Form-45 for it; a Form-47 for NA-248 whose total exceeds the registered "
                    + "voters and the Form-45; a Form-49 equal to the field, superseded by one that makes NA-248-C03 "
                    + "the official leader (field-changes-winner, and above the Form-45); a Form-47 for PS-125, "
                    + "whose station has no Form-45 for it",
                base: counting.base.count, lines: official),
            Case(
                name: "official-seats-observed-by-23-30",
                about: "the same, as observed by 2024-02-08T23:30:00+05:00: the second Form-49 (23:45) is cut, the "
                    + "first stands and agrees with the field",
                base: counting.base.count, lines: official,
                cutoff: .observedAtOrBefore(Timestamp(rfc3339: "2024-02-08T23:30:00+05:00")!)),
        ]
    }

    /// The events of the `flags` case, signed by the vectors' keys after the reference part of export.ndjson.
    var flagEvents: [Event] {
        let server = CountingVectors.key("server")
        let r1 = CountingVectors.key("reporter-1")
        let r2 = CountingVectors.key("reporter-2")
        let intruder = CountingVectors.key("intruder")
        let na248 = CountingVectors.na248
        let ps125 = CountingVectors.ps125
        let ps126 = ConstituencyCode("PS-126")!
        let first = CountingVectors.station
        let second = StationCode("NA-248-018")!
        var chain = DeviceChain(device: .server)
        for stored in counting.base where stored.event.device.isServer {
            chain = DeviceChain(device: .server, lastSeq: stored.event.seq, lastHash: stored.event.hash)
        }
        var c = CountingVectors.Case(chains: [.server: chain], random: SplitMix64(seed: 0xF1A6_5EED))
        func define(_ code: StationCode, voting provincial: ConstituencyCode, registered: Int, at time: String) {
            let name =
                code == first
                ? "Govt. Boys Primary School No. 3, booth 1 (synthetic)"
                : "Govt. Girls Secondary School, booth 2 (synthetic)"
            let voters = RegisteredVoters(male: registered / 2, female: registered / 2, total: registered)
            c.sign(
                .stationDefined(
                    PollingStation(code: code, name: name, provincial: provincial, voters: voters, synthetic: true)),
                by: server, at: time)
        }
        @discardableResult
        func turnout(_ votes: Int, asOf: String, by key: SigningKey, at time: String) -> Event {
            c.sign(
                .turnoutCounted(TurnoutCount(asOf: ObservedTime(asOf)!, votesCast: votes)), by: key, at: time,
                subject: first.rawValue)
        }
        let morning = "2024-02-08T07:00:00+05:00"
        c.sign(
            .constituencyDefined(
                Constituency(
                    code: ps126, name: "Karachi Central PS-4 (synthetic)", district: "Central", synthetic: true)),
            by: server, at: morning)
        define(second, voting: ps125, registered: 600, at: morning)
        c.enroll(intruder, name: "Intruder (synthetic)")
        c.sign(
            .deviceAssigned(StationAssignment(device: r2.publicKey.deviceID, stations: [], constituencies: [na248])),
            by: server, at: morning)
        turnout(412, asOf: "2024-02-08T11:00:00+05:00", by: r1, at: "2024-02-08T11:02:00+05:00")
        turnout(400, asOf: "2024-02-08T12:00:00+05:00", by: r1, at: "2024-02-08T12:01:00+05:00")
        let late = turnout(450, asOf: "2024-02-08T13:00:00+05:00", by: r1, at: "2024-02-08T14:00:00+05:00")
        c.sign(
            .reportCorrected(
                Correction(
                    corrects: late.id, reason: "Recounted the 13:00 tally sheet.",
                    change: .replacement(
                        .turnoutCounted(TurnoutCount(asOf: ObservedTime("2024-02-08T13:00:00+05:00")!, votesCast: 460)))
                )),
            by: r1, at: "2024-02-08T13:30:00+05:00", subject: first.rawValue)
        c.sign(
            .incidentObserved(
                Incident(kind: .form45Refused, severity: .high, description: "The presiding officer kept the Form-45.")),
            by: r1, at: "2024-02-08T17:30:00+05:00", subject: first.rawValue)
        c.sign(
            .stationClosed(StationClosed(closedAt: ObservedTime("2024-02-08T17:00:00+05:00")!)), by: r1,
            at: "2024-02-08T17:05:00+05:00", subject: first.rawValue)
        c.result([402, 198, 371, 12], by: r1, at: "2024-02-08T19:30:00+05:00")
        c.result([100, 220, 371, 12], by: r2, at: "2024-02-08T19:40:00+05:00")
        c.result([200, 195, 100, 5], by: r2, at: "2024-02-08T19:50:00+05:00", station: second)
        c.result([300, 200], by: r2, at: "2024-02-08T19:55:00+05:00", seat: ps125, station: second)
        turnout(900, asOf: "2024-02-08T16:00:00+05:00", by: intruder, at: "2024-02-08T16:05:00+05:00")
        c.result([0, 0, 0, 0], by: intruder, at: "2024-02-08T20:00:00+05:00")
        // The commission's Form-45 agrees with reporter-1's and differs from reporter-2's, at a station where the
        // Form-45 was refused to the field.
        c.sign(
            .officialPublished(
                OfficialResult(
                    form: .form45, constituency: na248, station: first,
                    votes: [1, 2, 3, 4].reduce(into: [:]) { votes, number in
                        votes[CandidateID(constituency: na248, number: number)] = [402, 198, 371, 12][number - 1]
                    }, rejected: 10, totalCast: 993, sourceURL: "https://www.ecp.gov.pk/results/NA-248/form45.csv",
                    fileSha256: SHA256Digest.hash("the commission's Form-45 file of NA-248"),
                    editor: CountingVectors.key("editor").publicKey.deviceID)),
            by: server, at: "2024-02-08T21:00:00+05:00")
        let evening = "2024-02-08T22:00:00+05:00"
        define(first, voting: ps125, registered: 400, at: evening)
        define(second, voting: ps126, registered: 600, at: evening)
        return c.events
    }

    /// The events of the `official-seats` case: a Form-45 from the field, and the commission's Form-45, 47 and 49.
    var officialSeatEvents: [Event] {
        let server = CountingVectors.key("server")
        let na248 = CountingVectors.na248
        var chain = DeviceChain(device: .server)
        for stored in counting.base where stored.event.device.isServer {
            chain = DeviceChain(device: .server, lastSeq: stored.event.seq, lastHash: stored.event.hash)
        }
        var c = CountingVectors.Case(chains: [.server: chain], random: SplitMix64(seed: 0x0FF1_C1A1))
        func publish(
            _ form: OfficialResult.Form, _ votes: [Int], seat: ConstituencyCode = na248, at time: String
        ) {
            var byCandidate = [CandidateID: Int]()
            for (offset, count) in votes.enumerated() {
                byCandidate[CandidateID(constituency: seat, number: offset + 1)] = count
            }
            let result = OfficialResult(
                form: form, constituency: seat, station: form == .form45 ? CountingVectors.station : nil,
                votes: byCandidate, rejected: 10, totalCast: votes.reduce(10, +),
                sourceURL: "https://www.ecp.gov.pk/results/\(seat)/form\(form.rawValue).csv",
                fileSha256: SHA256Digest.hash("the commission's \(form.name) file of \(seat) at \(time)"),
                editor: CountingVectors.key("editor").publicKey.deviceID)
            c.sign(.officialPublished(result), by: server, at: time, subject: result.subject)
        }
        c.result([402, 198, 371, 12], by: CountingVectors.key("reporter-1"), at: "2024-02-08T19:30:00+05:00")
        publish(.form45, [402, 198, 371, 12], at: "2024-02-08T21:00:00+05:00")
        publish(.form47, [800, 198, 371, 12], at: "2024-02-08T22:00:00+05:00")
        publish(.form49, [402, 198, 371, 12], at: "2024-02-08T23:00:00+05:00")
        publish(.form49, [360, 198, 420, 12], at: "2024-02-08T23:45:00+05:00")
        publish(.form47, [300, 250], seat: CountingVectors.ps125, at: "2024-02-08T22:30:00+05:00")
        return c.events
    }

    /// The documents of one case, each as its canonical text.
    func documents(_ item: Case) -> JSONValue {
        let tally = ElectionTally(replaying: item.events(of: log), asOf: item.cutoff)
        func text(_ document: some TallyDocument) -> JSONValue {
            .string(String(decoding: document.canonicalBytes, as: UTF8.self))
        }
        var stations = [String: JSONValue]()
        var summaries = [String: JSONValue]()
        for code in tally.stationCodes {
            stations[code.rawValue] = text(tally.station(code)!)
            for seat in tally.summarySeats(of: code) {
                summaries[StationSummary.key(seat: seat, station: code)] = text(
                    StationSummary(tally.station(code)!, seat: seat))
            }
        }
        var seats = [String: JSONValue]()
        for code in tally.constituencyCodes { seats[code.rawValue] = text(tally.constituency(code)!) }
        var districts = [String: JSONValue]()
        for name in tally.districtNames { districts[name] = text(tally.district(name)!) }
        return [
            "name": .string(item.name), "about": .string(item.about), "base": .integer(Int64(item.base)),
            "lines": .array(item.lines.map { .string($0.line) }), "asOf": item.cutoff?.jsonValue ?? .null,
            "position": .integer(tally.lastPosition), "stations": .object(stations), "constituencies": .object(seats),
            "districts": .object(districts), "city": text(tally.city), "summaries": .object(summaries),
        ]
    }

    var file: String {
        PrettyJSON.string([
            "note": .string(
                "Each case folds the first `base` lines of export.ndjson followed by its `lines` (as of `asOf` when "
                    + "not null: {\"position\": N} or {\"time\": UTC time}, as PROTOCOL.md §13 \"Time travel\" says) "
                    + "and gives every document the fold makes, each as its canonical text (RFC 8785): stations by "
                    + "code, constituencies by code, districts by name, and the city; and each station's summary "
                    + "(what a seat's answer carries for it, PROTOCOL.md §13 \"Station summary\"), by code. "
                    + "`position` is the highest position folded in."),
            "cases": .array(cases.map(documents)),
        ])
    }
}

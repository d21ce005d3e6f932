import FieldSyncModel
import FieldSyncTally
import Testing

@Suite("Station tally")
struct StationRulesTests {
    typealias L = TestLog

    @Test("opening: the earliest of the devices' latest reports, minutes late against polling opens")
    func opening() {
        var log = L()
        log.record(L.deviceA, L.s1, at: "08:20", L.opened("08:17"))
        let b = log.record(L.deviceB, L.s1, at: "08:40", L.opened("08:35", materials: false))
        let tally = log.tally.station(L.s1)!
        #expect(tally.opening?.openedAt.text == "2024-02-08T08:17:00+05:00")
        #expect(tally.opening?.minutesLate == 17)
        #expect(tally.opening?.materialsComplete == true)
        #expect(tally.opening?.devices == 2)
        #expect(tally.opening?.events.last == b.id)
    }

    @Test("opening on time or early is 0 minutes late; a device's later report replaces its earlier one")
    func openingEarly() {
        var log = L()
        log.record(L.deviceA, L.s1, at: "07:58", L.opened("07:55"))
        log.record(L.deviceA, L.s1, at: "09:10", L.opened("09:05"))
        let tally = log.tally.station(L.s1)!
        #expect(tally.opening?.openedAt.text == "2024-02-08T09:05:00+05:00")
        #expect(tally.opening?.minutesLate == 65)
        var early = L()
        early.record(L.deviceA, L.s1, at: "07:58", L.opened("07:55"))
        #expect(early.tally.station(L.s1)?.opening?.minutesLate == 0)
    }

    @Test("closing: the latest of the devices' latest reports, with its queue")
    func closing() {
        var log = L()
        log.record(L.deviceA, L.s1, at: "17:05", L.closed("17:02", queue: 4))
        log.record(L.deviceB, L.s1, at: "17:40", L.closed("17:31", queue: 12))
        let closing = log.tally.station(L.s1)!.closing!
        #expect(closing.closedAt.text == "2024-02-08T17:31:00+05:00")
        #expect(closing.votersInQueue == 12)
        #expect(closing.devices == 2)
    }

    @Test("agents: per party, the latest of the devices' latest reports naming it")
    func agents() {
        var log = L()
        log.record(L.deviceA, L.s1, at: "09:00", L.agents(["MQM-P": .present, "PPP": .present]))
        log.record(L.deviceA, L.s1, at: "11:00", L.agents(["MQM-P": .expelled]))
        log.record(L.deviceB, L.s1, at: "10:00", L.agents(["PPP": .absent, "JI": .present]))
        let agents = log.tally.station(L.s1)!.agents
        #expect(agents.map(\.party) == ["JI", "MQM-P", "PPP"])
        #expect(agents.map(\.presence) == [.present, .expelled, .absent])
    }

    @Test("incidents: every one, by observation time")
    func incidents() {
        var log = L()
        log.record(L.deviceB, L.s1, at: "12:00", L.incident(.violence, severity: .high))
        log.record(L.deviceA, L.s1, at: "10:00", L.incident(.powerOutage))
        let incidents = log.tally.station(L.s1)!.incidents
        #expect(incidents.map(\.incident.kind) == [.powerOutage, .violence])
    }

    @Test("turnout: history by the time counted, latest last, ties by event id")
    func turnout() {
        var log = L()
        log.record(L.deviceA, L.s1, at: "10:05", L.turnout(100, asOf: "10:00"))
        log.record(L.deviceA, L.s1, at: "14:10", L.turnout(400, asOf: "14:00"))
        // Recorded late: counted at noon, sent after the 14:00 count.
        log.record(L.deviceA, L.s1, at: "14:20", L.turnout(250, asOf: "12:00"))
        let one = log.record(L.deviceB, L.s1, at: "14:05", L.turnout(410, asOf: "14:00"))
        let tally = log.tally.station(L.s1)!
        #expect(tally.turnout.map(\.votesCast).prefix(2) == [100, 250])
        let latestTwo = tally.turnout.suffix(2)
        #expect(Set(latestTwo.map(\.votesCast)) == [400, 410])
        let expectedLatest = latestTwo.max { $0.event < $1.event }!
        #expect(tally.latestTurnout == expectedLatest)
        #expect(tally.turnout.contains { $0.event == one.id })
        #expect(tally.latestTurnout?.basisPoints == expectedLatest.votesCast * 10)
    }

    @Test("result status: unreported, reported, confirmed, disputed")
    func statuses() {
        var log = L()
        #expect(log.tally.station(L.s1)!.result(for: L.na248)!.status == .unreported)
        log.record(L.deviceA, L.s1, at: "19:00", L.form45(L.na248, [300, 200, 100, 0], rejected: 5))
        #expect(log.tally.station(L.s1)!.result(for: L.na248)!.status == .reported)
        // Same figures, candidate 4 left out: a missing candidate counts as 0.
        var votes = [CandidateID: Int]()
        for (number, count) in [1: 300, 2: 200, 3: 100] { votes[L.candidate(L.na248, number)] = count }
        log.record(
            L.deviceB, L.s1, at: "19:30",
            .resultReported(
                Form45Result(constituency: L.na248, registeredVoters: 1000, votes: votes, rejected: 5, totalCast: 605)))
        #expect(log.tally.station(L.s1)!.result(for: L.na248)!.status == .confirmed)
        log.record(L.deviceC, L.s1, at: "20:00", L.form45(L.na248, [300, 210, 100, 0], rejected: 5))
        let result = log.tally.station(L.s1)!.result(for: L.na248)!
        #expect(result.status == .disputed)
        #expect(result.counted == nil)
        #expect(result.range?.minimum[L.candidate(L.na248, 2)] == 200)
        #expect(result.range?.maximum[L.candidate(L.na248, 2)] == 210)
        #expect(result.range?.totalCast == 605...615)
        // The PS seat is still unreported.
        #expect(log.tally.station(L.s1)!.result(for: L.ps125)!.status == .unreported)
    }

    @Test("a device's effective Form-45 is its latest by observation time, not its last sent")
    func latestReport() {
        var log = L()
        log.record(L.deviceA, L.s1, at: "21:00", L.form45(L.na248, [300, 200, 100, 0]))
        // Sent later, observed earlier: a stale copy.
        log.record(L.deviceA, L.s1, at: "19:00", L.form45(L.na248, [1, 2, 3, 4]))
        log.record(L.deviceB, L.s1, at: "20:00", L.form45(L.na248, [300, 200, 100, 0]))
        let result = log.tally.station(L.s1)!.result(for: L.na248)!
        #expect(result.status == .confirmed)
        #expect(result.counted?.totalCast == 600)
    }

    @Test("observations before the station is defined come out the same once it is")
    func beforeDefinition() {
        var log = L()
        log.record(L.deviceA, L.s1, at: "19:00", L.form45(L.na248, [300, 200, 100, 0]))
        log.record(L.deviceA, L.s1, at: "08:10", L.opened("08:05"))
        let referenceCount = L.referencePayloads.count
        // The same events, the observations first.
        let reordered = (log.stored.suffix(2) + log.stored.prefix(referenceCount)).enumerated().map { offset, stored in
            StoredEvent(event: stored.event, position: Int64(offset + 1), received: stored.received, chain: .zero)
        }
        var late = ElectionTally()
        late.apply(Array(reordered.prefix(2)))
        #expect(late.station(L.s1)?.station == nil)
        // Until the device's assignment arrives too, its report is held: kept, but not counted.
        #expect(late.station(L.s1)?.result(for: L.na248)?.status == .unreported)
        #expect(late.station(L.s1)?.held.map(\.reason) == [.unassigned])
        #expect(late.constituency(L.na248) == nil)
        late.apply(Array(reordered.dropFirst(2)))
        let early = log.tally
        #expect(late.station(L.s1)!.canonicalBytes == early.station(L.s1)!.canonicalBytes)
        #expect(late.constituency(L.na248)!.canonicalBytes == early.constituency(L.na248)!.canonicalBytes)
        #expect(late.constituency(L.na248)!.stations.reported == 1)
        #expect(late.canonicalBytes == early.canonicalBytes)
    }

    @Test("an event applied twice counts once")
    func duplicates() {
        var log = L()
        let event = log.record(L.deviceA, L.s1, at: "10:05", L.turnout(100, asOf: "10:00"))
        var tally = log.tally
        let again = StoredEvent(event: event, position: 999, received: event.time.instant, chain: .zero)
        let changes = tally.apply(again)
        #expect(changes.isEmpty)
        #expect(tally.station(L.s1)!.turnout.count == 1)
    }
}

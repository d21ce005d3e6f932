import FieldSyncModel
import FieldSyncTally
import Testing

@Suite("Turnout by hour: seats and roll-ups")
struct TurnoutByHourTests {
    typealias L = TestLog

    /// Station 1 (1,000 voters) and station 2 (800) vote in NA-248; station 3 (900) in NA-247.
    static func day() -> (log: TestLog, retractable: Event) {
        var log = L()
        log.record(L.deviceA, L.s1, at: "09:25", L.turnout(100, asOf: "09:20"))  // 04:20Z: the hour of 05:00Z
        log.record(L.deviceA, L.s1, at: "10:05", L.turnout(250, asOf: "10:00"))  // 05:00Z exactly
        log.record(L.deviceA, L.s1, at: "11:35", L.turnout(240, asOf: "11:30"))  // 06:30Z, lower: 07:00Z
        let retractable = log.record(L.deviceB, L.s2, at: "10:45", L.turnout(80, asOf: "10:40"))  // 06:00Z
        log.record(L.deviceC, L.s3, at: "12:15", L.turnout(300, asOf: "12:10"))  // 08:00Z
        return (log, retractable)
    }

    static func points(_ series: [TurnoutHour]) -> [String] {
        series.map {
            "\($0.at.rfc3339(offsetMinutes: 0)) \($0.turnout.stations) \($0.turnout.votesCast)/\($0.turnout.registeredVoters)"
        }
    }

    @Test("a seat: each station's latest count by each reported hour, summed")
    func seat() throws {
        let tally = Self.day().log.tally
        let seat = try #require(tally.constituency(L.na248))
        #expect(
            Self.points(seat.turnoutByHour) == [
                "2024-02-08T05:00:00Z 1 250/1000", "2024-02-08T06:00:00Z 2 330/1800", "2024-02-08T07:00:00Z 2 320/1800",
            ])
        #expect(seat.turnoutByHour.last?.turnout == seat.liveTurnout)
        #expect(seat.turnoutByHour.last?.turnout.basisPoints == 1778)
        #expect(tally.constituency(L.na229)?.turnoutByHour.isEmpty == true)
    }

    @Test("a roll-up: a seat with no point at an hour adds its latest earlier one, or nothing before its first")
    func rollUp() {
        let city = Self.day().log.tally.city
        #expect(
            Self.points(city.national.turnoutByHour) == [
                "2024-02-08T05:00:00Z 1 250/1000", "2024-02-08T06:00:00Z 2 330/1800", "2024-02-08T07:00:00Z 2 320/1800",
                "2024-02-08T08:00:00Z 3 620/2700",
            ])
        #expect(Self.points(city.provincial[.ps]!.turnoutByHour) == Self.points(city.national.turnoutByHour))
        #expect(Self.points(Self.day().log.tally.district("Malir")!.national.turnoutByHour).isEmpty)
    }

    @Test("a retracted count takes its station's hours back out")
    func retraction() throws {
        var (log, retractable) = Self.day()
        log.correct(L.deviceB, L.s2, at: "13:00", retractable.id)
        let seat = try #require(log.tally.constituency(L.na248))
        #expect(
            Self.points(seat.turnoutByHour) == ["2024-02-08T05:00:00Z 1 250/1000", "2024-02-08T07:00:00Z 1 240/1000"])
    }
}

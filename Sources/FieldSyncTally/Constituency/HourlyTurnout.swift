import FieldSyncModel

/// Turnout by hour as steps that add up: at each hour, how much the stations' latest counts changed
/// since the hour before. A seat sums its stations' steps and a roll-up its seats', in any order,
/// and a station that changes is taken back out exactly.
struct HourlyTurnout: Hashable, Sendable {
    struct Step: Hashable, Sendable {
        /// How many of the summed series have a point at this hour: the hour is listed while any does.
        var points = 0
        var votesCast = 0
        var stations = 0
        var registeredVoters = 0
    }

    private(set) var steps = [Timestamp: Step]()

    init() {}

    /// The steps as they were summed (a stored seat's, read back).
    init(steps: [Timestamp: Step]) {
        self.steps = steps
    }

    /// One station's steps: at the hour of each count, the latest count by then; the station and its
    /// registered voters join at the hour of its first count.
    init(history: [TurnoutReading], registeredVoters: Int) {
        var previous: Int?
        for (index, reading) in history.enumerated() {
            let hour = TurnoutHour.ending(reading.asOf.instant)
            let next = history.index(after: index)
            if next < history.endIndex, TurnoutHour.ending(history[next].asOf.instant) == hour { continue }
            steps[hour] = Step(
                points: 1, votesCast: reading.votesCast - (previous ?? 0), stations: previous == nil ? 1 : 0,
                registeredVoters: previous == nil ? registeredVoters : 0)
            previous = reading.votesCast
        }
    }

    mutating func add(_ other: HourlyTurnout, sign: Int = 1) {
        for (hour, step) in other.steps { add(step, at: hour, sign: sign) }
    }

    /// Adds the steps of a series already summed (a seat's, to its roll-up: each point's change from the
    /// one before), or with `sign` -1 takes them back out.
    mutating func add(series: [TurnoutHour], sign: Int = 1) {
        var previous = Turnout(stations: 0, votesCast: 0, registeredVoters: 0)
        for point in series {
            let step = Step(
                points: 1, votesCast: point.turnout.votesCast - previous.votesCast,
                stations: point.turnout.stations - previous.stations,
                registeredVoters: point.turnout.registeredVoters - previous.registeredVoters)
            add(step, at: point.at, sign: sign)
            previous = point.turnout
        }
    }

    private mutating func add(_ step: Step, at hour: Timestamp, sign: Int) {
        var sum = steps[hour, default: Step()]
        sum.points += sign * step.points
        sum.votesCast += sign * step.votesCast
        sum.stations += sign * step.stations
        sum.registeredVoters += sign * step.registeredVoters
        steps[hour] = sum.points == 0 ? nil : sum
    }

    /// The running sums, one point per hour, earliest first.
    var series: [TurnoutHour] {
        var total = Turnout(stations: 0, votesCast: 0, registeredVoters: 0)
        return steps.sorted { $0.key < $1.key }.map { hour, step in
            total = Turnout(
                stations: total.stations + step.stations, votesCast: total.votesCast + step.votesCast,
                registeredVoters: total.registeredVoters + step.registeredVoters)
            return TurnoutHour(at: hour, turnout: total)
        }
    }
}

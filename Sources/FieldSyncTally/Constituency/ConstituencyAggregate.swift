import FieldSyncModel

/// The running sums of one seat's station contributions. Adding and removing contributions keeps
/// rendering a seat proportional to its candidates and disputed stations, not to all its stations.
struct ConstituencyAggregate: Sendable {
    var stations = StationCounts()
    var registered = 0
    var votes = [CandidateID: Int]()
    /// The part of `votes` from verified stations.
    var verifiedVotes = [CandidateID: Int]()
    var rejected = 0
    var totalCast = 0
    var countedRegistered = 0
    var disputedMinimum = [CandidateID: Int]()
    var disputedMaximum = [CandidateID: Int]()
    var disputedRejected = (minimum: 0, maximum: 0)
    var disputedCast = (minimum: 0, maximum: 0)
    var disputedStations = Set<StationCode>()
    var disputedEvents = Set<EventID>()
    var rejectingEvents = Set<EventID>()
    var liveStations = 0
    var liveCast = 0
    var liveRegistered = 0
    var hourlyTurnout = HourlyTurnout()
    var stationFlags = [FlagCode: Int]()
    /// The stations with a standing official Form-45 for the seat, summed.
    var officialStations = 0
    var officialDiffering = 0
    var officialVotes = [CandidateID: Int]()
    var officialRejected = 0
    var officialCast = 0
    var officialEvents = Set<EventID>()
    /// The field reports that differ from their station's official Form-45 for the seat, by station, as the
    /// city's comparison (``OfficialDifferences``) lists them, without margins.
    var officialDifferences = [StationCode: [OfficialDifferences.Difference]]()

    mutating func add(_ contribution: ContestContribution, of station: StationCode) {
        apply(contribution, of: station, sign: 1)
    }

    mutating func remove(_ contribution: ContestContribution, of station: StationCode) {
        apply(contribution, of: station, sign: -1)
    }

    private mutating func apply(_ contribution: ContestContribution, of station: StationCode, sign: Int) {
        stations.add(contribution.status, held: contribution.held, sign)
        registered += sign * contribution.registered
        if contribution.status.isCounted {
            Self.add(contribution.votes, to: &votes, sign)
            if contribution.status == .verified { Self.add(contribution.votes, to: &verifiedVotes, sign) }
            rejected += sign * contribution.rejected
            totalCast += sign * contribution.totalCast
            countedRegistered += sign * contribution.registered
            for event in contribution.rejectingEvents {
                if sign > 0 { rejectingEvents.insert(event) } else { rejectingEvents.remove(event) }
            }
        }
        if let range = contribution.range {
            Self.add(range.minimum, to: &disputedMinimum, sign)
            Self.add(range.maximum, to: &disputedMaximum, sign)
            disputedRejected.minimum += sign * range.rejected.lowerBound
            disputedRejected.maximum += sign * range.rejected.upperBound
            disputedCast.minimum += sign * range.totalCast.lowerBound
            disputedCast.maximum += sign * range.totalCast.upperBound
            if sign > 0 { disputedStations.insert(station) } else { disputedStations.remove(station) }
            for event in contribution.disputedEvents {
                if sign > 0 { disputedEvents.insert(event) } else { disputedEvents.remove(event) }
            }
        }
        if let cast = contribution.liveCast {
            liveStations += sign
            liveCast += sign * cast
            liveRegistered += sign * contribution.registered
        }
        hourlyTurnout.add(contribution.hourlyTurnout, sign: sign)
        if let official = contribution.official, let event = contribution.officialEvent {
            officialStations += sign
            if contribution.officialDiffers { officialDiffering += sign }
            Self.add(official.votes, to: &officialVotes, sign)
            officialRejected += sign * official.rejected
            officialCast += sign * official.totalCast
            if sign > 0 { officialEvents.insert(event) } else { officialEvents.remove(event) }
            if !contribution.officialDifferences.isEmpty {
                officialDifferences[station] = sign > 0 ? contribution.officialDifferences : nil
            }
        }
        for (code, count) in contribution.stationFlags {
            let total = stationFlags[code, default: 0] + sign * count
            stationFlags[code] = total == 0 ? nil : total
        }
    }

    /// Adds or subtracts counts, dropping a candidate whose sum comes back to 0.
    private static func add(_ counts: [CandidateID: Int], to sums: inout [CandidateID: Int], _ sign: Int) {
        for (candidate, count) in counts {
            let total = sums[candidate, default: 0] + sign * count
            sums[candidate] = total == 0 ? nil : total
        }
    }
}

import FieldSyncModel

/// What a roll-up sums over its seats (``RollUpTally``): each assembly apart, and the flags.
///
/// The fold keeps the city's between batches: made from every seat (859 nationally), it took a large
/// part of each batch's time, whatever the batch touched. A seat whose tally changed is taken out as it
/// was and put back as it is; every part is an exact sum, and a count that comes back to 0 is dropped
/// (a party's seats led, a flag's count, an assembly with no seat), as a sum made afresh never lists
/// it. So the sums kept are, to the byte, the sums made again from every seat.
struct RollUpSums: Sendable {
    var national = AssemblyRollUp()
    var provincial = [SeatPrefix: AssemblyRollUp]()
    var flags = [FlagCode: Int]()

    /// Adds a seat's tally, its candidates' parties read in `reference`; with `sign` -1, takes it back
    /// out (as it was added: with the same reference data).
    mutating func add(_ tally: ConstituencyTally, reference: ReferenceData, sign: Int = 1) {
        // The candidates alone: a closure holding the whole reference data copied it on every seat added.
        let candidates = reference.candidates
        let candidate = { (id: CandidateID) in candidates[id] }
        switch tally.code.assembly {
        case .national:
            national.add(tally, candidate: candidate, sign: sign)
            for (code, count) in tally.stationFlags { add(sign * count, to: code) }
        case .provincial:
            // In place: an assembly taken out of the dictionary and put back copied its sums each time.
            let prefix = tally.code.prefix
            provincial[prefix, default: AssemblyRollUp()].add(tally, candidate: candidate, sign: sign)
            if provincial[prefix]?.seats == 0 { provincial[prefix] = nil }
        }
        for flag in tally.flags { add(sign, to: flag.code) }
    }

    private mutating func add(_ count: Int, to code: FlagCode) {
        let total = flags[code, default: 0] + count
        flags[code] = total == 0 ? nil : total
    }
}

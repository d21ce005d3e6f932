import FieldSyncModel

extension ElectionTally {
    /// The city's roll-up after a batch: from the sums kept (``citySums``), each seat in `changed` taken
    /// out as it was (`replaced`) and put back as it is; made from every seat when no sums are kept (the
    /// first batch, and any batch with a reference event, which may change what a seat adds or whether
    /// it counts). Either way the same roll-up, to the byte (``RollUpSums``).
    mutating func cityRollUp(
        changed: [ConstituencyCode], replaced: [ConstituencyCode: ConstituencyTally]
    ) -> RollUpTally {
        guard var sums = citySums else {
            let tallies = constituencyTallies
            let city = RollUpTally(
                district: nil, seats: seatsByDistrict.values.flatMap { $0 }.compactMap { tallies[$0] },
                reference: reference)
            citySums = RollUpSums(national: city.national, provincial: city.provincial, flags: city.flags)
            return city
        }
        let postponed = reference.election?.postponed ?? []
        // A seat counts in the city once defined (seatsByDistrict holds the defined seats), unless
        // postponed; neither changes without a reference event.
        for code in changed where reference.constituencies[code] != nil && !postponed.contains(code) {
            if let old = replaced[code] { sums.add(old, reference: reference, sign: -1) }
            if let new = constituencyTallies[code] { sums.add(new, reference: reference) }
        }
        citySums = sums
        return RollUpTally(district: nil, sums: sums, postponed: cityTally.postponed, reference: reference)
    }
}

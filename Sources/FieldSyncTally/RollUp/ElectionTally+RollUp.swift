import FieldSyncModel

extension ElectionTally {
    /// An area's roll-up after a batch, the city's (`district` nil) or a district's: from the sums kept
    /// for it (``citySums``, ``districtSums``), each of its seats in `changed` taken out as it was
    /// (`replaced`) and put back as it is; made from every seat of the area when none are kept (the first
    /// batch, and any batch with a reference event, which may change what a seat adds, whether it counts
    /// and the district it is in). Either way the same roll-up, to the byte (``RollUpSums``). Nil for a
    /// district with no seat defined.
    mutating func rollUp(
        district: String?, changed: [ConstituencyCode], replaced: [ConstituencyCode: ConstituencyTally]
    ) -> RollUpTally? {
        if let district, seatsByDistrict[district] == nil {
            districtSums[district] = nil
            return nil
        }
        let kept = if let district { districtSums[district] } else { citySums }
        guard var sums = kept else {
            // A seat counts once defined (seatsByDistrict holds the defined seats).
            let seats =
                if let district { Array(seatsByDistrict[district] ?? []) } else {
                    seatsByDistrict.values.flatMap { $0 }
                }
            let tallies = constituencyTallies
            let made = RollUpTally(
                district: district, seats: seats.lazy.compactMap { tallies[$0] }, reference: reference)
            keep(RollUpSums(national: made.national, provincial: made.provincial, flags: made.flags), for: district)
            return made
        }
        let postponed = reference.election?.postponed ?? []
        // Neither a seat's definition nor whether it is postponed changes without a reference event.
        for code in changed where !postponed.contains(code) {
            guard let seat = reference.constituencies[code], district == nil || seat.district == district else {
                continue
            }
            if let old = replaced[code] { sums.add(old, reference: reference, sign: -1) }
            if let new = constituencyTallies[code] { sums.add(new, reference: reference) }
        }
        keep(sums, for: district)
        let before = if let district { districtTallies[district] } else { cityTally }
        return RollUpTally(district: district, sums: sums, postponed: before?.postponed ?? [], reference: reference)
    }

    private mutating func keep(_ sums: RollUpSums, for district: String?) {
        if let district { districtSums[district] = sums } else { citySums = sums }
    }
}
